namespace Firebreak.Web.Tests.Auth;

using System.Net;
using System.Text;
using System.Text.Json;
using Firebreak.Core.Security;
using Firebreak.Core.Workspaces;
using Firebreak.Tests.Shared;
using Firebreak.Web.Auth;
using Firebreak.Web.Tests.Api;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

/// <summary>
/// Generated from the app's own endpoints, so a new endpoint is covered the moment it is mapped: every /api endpoint must
/// declare its access rule, and each rule must hold — anonymous 401, non-member 404, every role below the minimum 403,
/// the minimum role let through.
/// </summary>
public sealed class AuthorizationMatrixTests(ApiHost host, ITestOutputHelper output) : IClassFixture<ApiHost>
{
    private static readonly WorkspaceRole[] Roles = [WorkspaceRole.Viewer, WorkspaceRole.Responder, WorkspaceRole.Manager, WorkspaceRole.Admin, WorkspaceRole.Owner];

    [Fact]
    public void EveryApiEndpoint_DeclaresAnAccessRule()
    {
        var missing = ApiEndpoints().Where(e => e.Metadata.GetMetadata<AccessRequirement>() is null).Select(Describe).ToList();

        Assert.True(ApiEndpoints().Count > 50, "the endpoint list looks wrong");
        Assert.True(missing.Count == 0, "endpoints without .RequireWorkspaceRole/.RequireAccount/.AllowAnonymousAccess: " + string.Join(", ", missing));
    }

    [Fact]
    public async Task EveryWorkspaceEndpoint_AnswersEachCallerByRole()
    {
        var slug = await host.NewWorkspaceAsync();
        var workspace = (await host.Services.GetRequiredService<IWorkspaceStore>().FindAsync(slug, CancellationToken.None))!;
        var tokens = new Dictionary<WorkspaceRole, string> { [WorkspaceRole.Owner] = host.OwnerToken };
        foreach (var role in Roles[..^1])
        {
            tokens[role] = await TestAccounts.TokenForAsync(host.Services, $"{role}-{slug}@example.com", workspace.Id, role);
        }

        var outsider = await TestAccounts.TokenForAsync(host.Services, $"outsider-{slug}@example.com", null, null);
        var failures = new List<string>();
        var checkedCount = 0;
        foreach (var endpoint in ApiEndpoints())
        {
            var method = endpoint.Metadata.GetMetadata<HttpMethodMetadata>()!.HttpMethods[0];
            var path = Path(endpoint, slug);
            switch (endpoint.Metadata.GetMetadata<AccessRequirement>())
            {
                case WorkspaceRoleRequirement needed:
                    Expect(failures, endpoint, "anonymous", await SendAsync(method, path, null), s => s == 401);
                    Expect(failures, endpoint, "non-member", await SendAsync(method, path, outsider), s => s == 404);
                    foreach (var role in Roles.Where(r => r < needed.Role))
                    {
                        Expect(failures, endpoint, role.ToString(), await SendAsync(method, path, tokens[role]), s => s == 403);
                    }

                    var allowed = await SendAsync(method, path, tokens[needed.Role], allowedCall: true);
                    Expect(failures, endpoint, needed.Role + " (the minimum)", allowed, s => s is not (401 or 403) && !(s == 404 && allowed.Body.Contains("Workspace not found", StringComparison.Ordinal)));
                    checkedCount++;
                    break;
                case AccountRequirement:
                    Expect(failures, endpoint, "anonymous", await SendAsync(method, path, null), s => s == 401);
                    Expect(failures, endpoint, "signed-in", await SendAsync(method, path, outsider, allowedCall: true), s => s != 401);
                    checkedCount++;
                    break;
            }
        }

        output.WriteLine($"{checkedCount} endpoints checked");
        Assert.True(checkedCount > 50);
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    private List<RouteEndpoint> ApiEndpoints() =>
        [.. host.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.TrimStart('/').StartsWith("api", StringComparison.Ordinal) == true && e.Metadata.GetMetadata<HttpMethodMetadata>() is not null)];

    private static string Describe(RouteEndpoint e) => $"{e.Metadata.GetMetadata<HttpMethodMetadata>()!.HttpMethods[0]} {e.RoutePattern.RawText}";

    private static string Path(RouteEndpoint endpoint, string slug)
    {
        var path = "/" + endpoint.RoutePattern.RawText!.TrimStart('/');
        path = path.Replace("{workspace}", slug, StringComparison.Ordinal);
        // Ids that do not exist: the call passes authorisation and then finds nothing, changing nothing.
        return System.Text.RegularExpressions.Regex.Replace(path, "\\{[^}]+\\}", "987654").TrimEnd('/');
    }

    private static void Expect(List<string> failures, RouteEndpoint endpoint, string who, (int Status, string Body) answer, Func<int, bool> ok)
    {
        if (!ok(answer.Status))
        {
            failures.Add($"{Describe(endpoint)} as {who}: {answer.Status} {answer.Body[..Math.Min(200, answer.Body.Length)]}");
        }
    }

    private async Task<(int Status, string Body)> SendAsync(string method, string path, string? token, bool allowedCall = false)
    {
        using var client = token is null ? new HttpClient { BaseAddress = new Uri(host.BaseAddress) } : TestAccounts.WithBearer(new Uri(host.BaseAddress), token);
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method is not ("GET" or "DELETE"))
        {
            request.Content = new StringContent("{}", Encoding.UTF8, "application/json");
        }

        // Streams (SSE) answer their status with the headers and then stay open: read only those.
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancel.Token);
        var body = response.Content.Headers.ContentType?.MediaType is "text/event-stream" || allowedCall && path.EndsWith("/export", StringComparison.Ordinal)
            ? string.Empty
            : await response.Content.ReadAsStringAsync(cancel.Token);
        return ((int)response.StatusCode, body);
    }
}
