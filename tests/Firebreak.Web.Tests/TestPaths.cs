namespace Firebreak.Web.Tests;

/// <summary>Where things are when tests run from a checkout.</summary>
internal static class TestPaths
{
    public static string RepositoryRoot { get; } = FindRoot();

    /// <summary>The built `firebreak` executable (as a dll run by the dotnet host), copied next to the tests.</summary>
    public static string FirebreakDll => Path.Combine(AppContext.BaseDirectory, "firebreak.dll");

    public static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Firebreak.slnx")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("Firebreak.slnx not found above " + AppContext.BaseDirectory);
    }
}
