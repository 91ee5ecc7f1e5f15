namespace Firebreak.Web.Tests.Publishing;

using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Firebreak.Core.Publishing.Outbox;
using Firebreak.Core.Security;
using Firebreak.Core.Workspaces;
using Firebreak.Tests.Shared;
using Firebreak.Web.Tests.Api;
using Microsoft.Extensions.DependencyInjection;

/// <summary>The host with an outbox that looks for due posts often, so a post scheduled seconds ahead goes out in a test.</summary>
public sealed class PublishingJourneyHost : ApiHost
{
    protected override void Configure(IServiceCollection services) =>
        services.AddSingleton(new OutboxOptions { PollInterval = TimeSpan.FromMilliseconds(200), FirstBackoff = TimeSpan.FromMilliseconds(200) });
}

/// <summary>
/// Publishing through every part together on a real host: an owned Mastodon account connected with its token (kept
/// encrypted), a post written, approved by someone else, scheduled, and sent once by the outbox to a loopback server that
/// answers as Mastodon's REST API does; the post's record follows the outcome.
/// </summary>
public sealed class PublishingJourneyTests(PublishingJourneyHost host) : IClassFixture<PublishingJourneyHost>
{
    [Fact]
    public async Task Post_ConnectedAccount_ApprovedByAnother_ScheduledAndSentOnceThroughTheOutbox()
    {
        await using var mastodon = new TestHttpReceiver { Respond = (_, request) => MastodonAnswers(request) };
        var ws = await host.NewWorkspaceAsync();
        var workspaceId = (await host.Services.GetRequiredService<IWorkspaceStore>().FindAsync(ws, CancellationToken.None))!.Id;

        var connected = await host.Client.PostAsJsonAsync($"/api/workspaces/{ws}/connections", new { platform = "mastodon", handle = "@brand@127.0.0.1", baseUri = mastodon.Url("/"), token = "brand-access-token" });
        Assert.Equal(HttpStatusCode.Created, connected.StatusCode);
        var accountKey = (await connected.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accountKey").GetString();

        // Scheduled for the next whole minute (schedules are kept to the minute), in UTC wall time.
        var now = TimeProvider.System.GetUtcNow().UtcDateTime;
        var due = new DateTime(now.Year, now.Month, now.Day, now.Hour, now.Minute, 0, DateTimeKind.Utc).AddMinutes(now.Second > 50 ? 2 : 1);
        var created = await host.Client.PostAsJsonAsync($"/api/workspaces/{ws}/posts", new { platform = "mastodon", accountKey, text = "Our winter timetable starts Monday. Plan ahead: https://example.com/winter", scheduledAt = due.ToString("yyyy-MM-dd'T'HH:mm", System.Globalization.CultureInfo.InvariantCulture), timeZone = "UTC" });
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("post").GetProperty("id").GetInt64();
        var posts = $"/api/workspaces/{ws}/posts/{id}";
        Assert.True((await host.Client.PostAsync($"{posts}/submit", null)).IsSuccessStatusCode);

        // The author may not approve; a manager may.
        Assert.Equal(HttpStatusCode.Forbidden, (await host.Client.PostAsJsonAsync($"{posts}/approve", new { acknowledgeWarnings = true })).StatusCode);
        using var manager = TestAccounts.WithBearer(new Uri(host.BaseAddress), await TestAccounts.TokenForAsync(host.Services, $"mira-{ws}@example.com", workspaceId, WorkspaceRole.Manager));
        var approved = await manager.PostAsJsonAsync($"{posts}/approve", new { acknowledgeWarnings = true });
        Assert.True(approved.IsSuccessStatusCode, await approved.Content.ReadAsStringAsync());

        JsonElement post = default;
        await Poll.UntilAsync(
            async () => (post = (await host.Client.GetFromJsonAsync<JsonElement>(posts)).GetProperty("post")).GetProperty("state").GetString() == "sent",
            TimeSpan.FromSeconds(150),
            () => "the post did not reach 'sent': " + post);

        var sends = mastodon.Requests.Where(r => r.Method == "POST" && r.Path == "/api/v1/statuses").ToList();
        var send = Assert.Single(sends);
        Assert.Equal("Bearer brand-access-token", send.Headers["Authorization"]);
        Assert.False(string.IsNullOrEmpty(send.Headers["Idempotency-Key"]));
        Assert.Contains("winter timetable", Encoding.UTF8.GetString(send.Body), StringComparison.Ordinal);
        Assert.Equal("https://mastodon.example/@brand/1101", post.GetProperty("remoteUrl").GetString());
        Assert.True(TimeProvider.System.GetUtcNow().UtcDateTime >= due, "sent before its time");
    }

    /// <summary>Mastodon's REST answers (API v1, Mastodon 4.x shapes): the account, an empty timeline, and a created status.</summary>
    private static Answer MastodonAnswers(ReceivedRequest request) => (request.Method, request.Path) switch
    {
        ("POST", "/api/v1/statuses") => new Answer(200, Json: """
            {"id":"1101","created_at":"2026-11-21T10:00:00.000Z","url":"https://mastodon.example/@brand/1101","uri":"https://mastodon.example/users/brand/statuses/1101",
             "content":"<p>Our winter timetable starts Monday.</p>","visibility":"public","language":"en","account":{"id":"77","username":"brand","acct":"brand"}}
            """),
        ("GET", "/api/v1/accounts/verify_credentials") => new Answer(200, Json: """{"id":"77","username":"brand","acct":"brand","display_name":"Brand","followers_count":5200}"""),
        ("GET", _) when request.Path.StartsWith("/api/v1/accounts/77/statuses", StringComparison.Ordinal) => new Answer(200, Json: "[]"),
        ("GET", "/api/v1/notifications") => new Answer(200, Json: "[]"),
        _ => new Answer(404, Json: """{"error":"Record not found"}"""),
    };
}
