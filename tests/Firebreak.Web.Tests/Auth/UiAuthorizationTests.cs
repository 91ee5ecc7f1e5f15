namespace Firebreak.Web.Tests.Auth;

using System.Net;
using System.Text.RegularExpressions;
using Firebreak.Core.Security;
using Firebreak.Core.Workspaces;
using Firebreak.Tests.Shared;
using Firebreak.Web.Auth;
using Firebreak.Web.Tests.Api;
using Microsoft.AspNetCore.Components.Endpoints;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

/// <summary>
/// The web UI's own endpoints (fragments and form actions under /w/{workspace}) and pages, generated from the app's
/// endpoints like the API matrix: each action declares its minimum role, and anonymous callers are sent to sign in,
/// non-members get 404, lower roles 403, the minimum role gets through. A hidden button is never the check.
/// </summary>
public sealed partial class UiAuthorizationTests(ApiHost host, ITestOutputHelper output) : IClassFixture<ApiHost>
{
    private static readonly WorkspaceRole[] Roles = [WorkspaceRole.Viewer, WorkspaceRole.Responder, WorkspaceRole.Manager, WorkspaceRole.Admin, WorkspaceRole.Owner];

    [Fact]
    public void EveryUiAction_DeclaresItsMinimumRole()
    {
        var actions = UiActions();
        var missing = actions.Where(e => e.Metadata.GetMetadata<WorkspaceRoleRequirement>() is null).Select(e => e.RoutePattern.RawText).ToList();

        Assert.True(actions.Count >= 10, "the UI endpoint list looks wrong");
        Assert.True(missing.Count == 0, "UI endpoints without .RequireWorkspaceRole: " + string.Join(", ", missing));
    }

    [Fact]
    public async Task EveryUiAction_AnswersEachCallerByRole()
    {
        var (slug, mentionId, sessions, outsider) = await ArrangeAsync();
        var failures = new List<string>();
        foreach (var endpoint in UiActions())
        {
            var method = endpoint.Metadata.GetMetadata<HttpMethodMetadata>()!.HttpMethods[0];
            var needed = endpoint.Metadata.GetMetadata<WorkspaceRoleRequirement>()!.Role;
            var path = Path(endpoint, slug, mentionId);
            using (var anonymous = NewSession())
            {
                var answer = await SendAsync(anonymous, method, path, null);
                Expect(failures, path, "anonymous", answer, a => a.Status == 302 && a.Location.Contains("/signin", StringComparison.Ordinal));
            }

            Expect(failures, path, "non-member", await SendAsync(outsider.Client, method, path, outsider.Csrf), a => a.Status == 404);
            foreach (var role in Roles.Where(r => r < needed))
            {
                Expect(failures, path, role.ToString(), await SendAsync(sessions[role].Client, method, path, sessions[role].Csrf), a => a.Status == 403);
            }

            Expect(failures, path, needed + " (the minimum)", await SendAsync(sessions[needed].Client, method, path, sessions[needed].Csrf), a => a.Status is not (401 or 403 or 404));
        }

        output.WriteLine($"{UiActions().Count} UI endpoints checked");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Theory]
    [InlineData("", WorkspaceRole.Viewer)]
    [InlineData("/mentions", WorkspaceRole.Viewer)]
    [InlineData("/topics", WorkspaceRole.Viewer)]
    [InlineData("/alerts", WorkspaceRole.Viewer)]
    [InlineData("/playbooks", WorkspaceRole.Viewer)]
    [InlineData("/playbooks/data-breach", WorkspaceRole.Viewer)]
    [InlineData("/incidents", WorkspaceRole.Viewer)]
    [InlineData("/wellbeing", WorkspaceRole.Viewer)]
    [InlineData("/connections", WorkspaceRole.Viewer)]
    [InlineData("/settings", WorkspaceRole.Admin)]
    [InlineData("/audit", WorkspaceRole.Admin)]
    public async Task WorkspacePages_AnswerEachReaderByRole(string page, WorkspaceRole needed)
    {
        var (slug, _, sessions, outsider) = await ArrangeAsync();
        var path = $"/w/{slug}{page}";
        var failures = new List<string>();
        using (var anonymous = NewSession())
        {
            Expect(failures, path, "anonymous", await SendAsync(anonymous, "GET", path, null), a => a.Status == 302 && a.Location.Contains("/signin", StringComparison.Ordinal));
        }

        Expect(failures, path, "non-member", await SendAsync(outsider.Client, "GET", path, null), a => a.Status == 404);
        foreach (var role in Roles)
        {
            Expect(failures, path, role.ToString(), await SendAsync(sessions[role].Client, "GET", path, null), a => a.Status == (role < needed ? 403 : 200));
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public async Task UiActions_WhenTheySucceed_AreRecordedInTheAuditLog()
    {
        var (slug, _, sessions, _) = await ArrangeAsync();
        var workspace = (await host.Services.GetRequiredService<IWorkspaceStore>().FindAsync(slug, CancellationToken.None))!;
        var (client, csrf) = sessions[WorkspaceRole.Manager];

        using var mute = await client.PostAsync($"/w/{slug}/authors/mute", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = csrf, ["platform"] = "x", ["handle"] = "troll_42",
        }));
        Assert.Equal(HttpStatusCode.Redirect, mute.StatusCode);
        using var badBudget = await client.PostAsync($"/w/{slug}/wellbeing/budget", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = csrf, ["hostile"] = "0", ["minutes"] = "5",
        }));
        Assert.Contains("error-invalid", badBudget.Headers.Location!.ToString(), StringComparison.Ordinal);

        var entries = await host.Services.GetRequiredService<IAuditStore>().ListAsync(workspace.Id, null, 50, CancellationToken.None);
        var muted = Assert.Single(entries, e => e.Action == "ui./w/{workspace}/authors/mute");
        Assert.Equal($"ui-{WorkspaceRole.Manager}-{slug}@example.com".Split('@')[0], muted.ActorName);
        Assert.DoesNotContain(entries, e => e.Action.Contains("budget", StringComparison.Ordinal));
    }

    [Fact]
    public async Task VoicesPanel_LeavesOutTheWordsOfShieldedMentions()
    {
        var (slug, _, sessions, _) = await ArrangeAsync();
        var ingest = await host.Client.PostAsync($"/api/workspaces/{slug}/ingest", new StringContent(
            """{"platform":"x","externalId":"ui-voices-1","kind":"reply","author":{"handle":"angry_passenger","followers":10},"text":"@user you are a fucking idiot, shut up","createdAt":"2026-01-01T10:01:00Z"}""",
            System.Text.Encoding.UTF8,
            "application/json"));
        ingest.EnsureSuccessStatusCode();
        var stored = await host.Client.GetStringAsync($"/api/workspaces/{slug}/mentions?author=angry_passenger");
        Assert.Contains("\"offensive\":true", stored, StringComparison.Ordinal);

        var panel = await sessions[WorkspaceRole.Viewer].Client.GetStringAsync($"/w/{slug}/panels/voices");
        Assert.Contains("refund", panel, StringComparison.Ordinal);
        Assert.DoesNotContain("idiot", panel, StringComparison.Ordinal);
        Assert.DoesNotContain("fucking", panel, StringComparison.Ordinal);
    }

    private async Task<(string Slug, long MentionId, Dictionary<WorkspaceRole, (HttpClient Client, string Csrf)> Sessions, (HttpClient Client, string Csrf) Outsider)> ArrangeAsync()
    {
        var slug = await host.NewWorkspaceAsync();
        var workspace = (await host.Services.GetRequiredService<IWorkspaceStore>().FindAsync(slug, CancellationToken.None))!;
        var ingest = await host.Client.PostAsync($"/api/workspaces/{slug}/ingest", new StringContent(
            """{"platform":"x","externalId":"ui-auth-1","kind":"post","author":{"handle":"someone","followers":10},"text":"the refund never came","createdAt":"2026-01-01T10:00:00Z"}""",
            System.Text.Encoding.UTF8,
            "application/json"));
        ingest.EnsureSuccessStatusCode();
        var page = await host.Client.GetStringAsync($"/api/workspaces/{slug}/mentions");
        var mentionId = long.Parse(IdPattern().Match(page).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);

        var sessions = new Dictionary<WorkspaceRole, (HttpClient, string)>();
        foreach (var role in Roles)
        {
            var token = await TestAccounts.TokenForAsync(host.Services, $"ui-{role}-{slug}@example.com", workspace.Id, role);
            sessions[role] = await SessionAsync(token);
        }

        var outsider = await SessionAsync(await TestAccounts.TokenForAsync(host.Services, $"ui-outsider-{slug}@example.com", null, null));
        return (slug, mentionId, sessions, outsider);
    }

    /// <summary>A person's browser: their credentials, the anti-forgery cookie, and the form token from a page they can open.</summary>
    private async Task<(HttpClient Client, string Csrf)> SessionAsync(string token)
    {
        var client = NewSession();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        var account = await client.GetStringAsync("/account");
        var csrf = CsrfPattern().Match(account).Groups[1].Value;
        Assert.False(string.IsNullOrEmpty(csrf), "the account page carries an anti-forgery token");
        return (client, WebUtility.HtmlDecode(csrf));
    }

    private HttpClient NewSession() =>
        new(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = new Uri(host.BaseAddress), Timeout = TimeSpan.FromSeconds(60) };

    private List<RouteEndpoint> UiActions() =>
        [.. host.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.TrimStart('/').StartsWith("w/", StringComparison.Ordinal) == true
                && e.Metadata.GetMetadata<HttpMethodMetadata>() is not null
                && e.Metadata.GetMetadata<ComponentTypeMetadata>() is null)];

    private static string Path(RouteEndpoint endpoint, string slug, long mentionId)
    {
        var raw = "/" + endpoint.RoutePattern.RawText!.TrimStart('/');
        var path = raw.Replace("{workspace}", slug, StringComparison.Ordinal)
            .Replace("{panel}", "stream", StringComparison.Ordinal)
            .Replace("{action}", "acknowledge", StringComparison.Ordinal);
        path = raw.Contains("/mentions/", StringComparison.Ordinal) ? path.Replace("{id:long}", mentionId.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal) : path;
        return Regex.Replace(path, "\\{[^}]+\\}", "987654");
    }

    private static async Task<(int Status, string Location)> SendAsync(HttpClient client, string method, string path, string? csrf)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method == "POST")
        {
            request.Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = csrf ?? string.Empty, ["minutes"] = "30" });
        }

        using var response = await client.SendAsync(request);
        return ((int)response.StatusCode, response.Headers.Location?.ToString() ?? string.Empty);
    }

    private static void Expect(List<string> failures, string path, string who, (int Status, string Location) answer, Func<(int Status, string Location), bool> ok)
    {
        if (!ok(answer))
        {
            failures.Add($"{path} as {who}: {answer.Status} {answer.Location}");
        }
    }

    [GeneratedRegex("\"id\":(\\d+)")]
    private static partial Regex IdPattern();

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex CsrfPattern();
}
