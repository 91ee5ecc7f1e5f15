namespace Firebreak.Web.Hosting;

using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

/// <summary>
/// The UI's own script and stylesheet, embedded in the assembly so a single binary serves them. The script never
/// builds HTML from data: it swaps in fragments the server rendered (and encoded).
/// </summary>
public static class UiAssets
{
    private static readonly Dictionary<string, (string ContentType, byte[] Bytes)> Files = Load();

    public static IEndpointRouteBuilder MapUiAssets(this IEndpointRouteBuilder app)
    {
        app.MapGet("/app.js", () => Serve("app.js")).ExcludeFromDescription();
        app.MapGet("/app.css", () => Serve("app.css")).ExcludeFromDescription();
        app.MapGet("/favicon.ico", () => TypedResults.NoContent()).ExcludeFromDescription();
        return app;
    }

    private static IResult Serve(string name) =>
        Files.TryGetValue(name, out var file) ? TypedResults.Bytes(file.Bytes, file.ContentType) : TypedResults.NotFound();

    private static Dictionary<string, (string, byte[])> Load()
    {
        var assembly = Assembly.GetExecutingAssembly();
        var files = new Dictionary<string, (string, byte[])>(StringComparer.Ordinal);
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            var name = resource[(resource.IndexOf(".wwwroot.", StringComparison.Ordinal) + ".wwwroot.".Length)..];
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var memory = new MemoryStream();
            stream.CopyTo(memory);
            var type = Path.GetExtension(name) switch
            {
                ".js" => "text/javascript; charset=utf-8",
                ".css" => "text/css; charset=utf-8",
                _ => "application/octet-stream",
            };
            files[name] = (type, memory.ToArray());
        }

        return files;
    }
}
