namespace Firebreak.Web.Tests.Publishing;

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Firebreak.Core.Mentions;
using Firebreak.Core.Publishing.Posts;
using Firebreak.Core.Security;
using Firebreak.Core.Workspaces;
using Firebreak.Tests.Shared;
using Firebreak.Web.Tests.Api;
using Microsoft.Extensions.DependencyInjection;

/// <summary>Scorecards, goals, policy events and the recycler through the API on a real host.</summary>
public sealed class ScorecardApiTests(AlertApiHost host) : IClassFixture<AlertApiHost>
{
    [Fact]
    public async Task GoalsPolicyEventsAndTheScorecardFollowEachOther()
    {
        var (ws, _, rita, max) = await SetUpAsync();
        var api = $"/api/workspaces/{ws}/scorecards";

        Assert.Equal(HttpStatusCode.Forbidden, (await rita.PutAsJsonAsync($"{api}/goals", new { goals = Array.Empty<object>() })).StatusCode);
        var bad = await max.PutAsJsonAsync($"{api}/goals", new { goals = new[] { new { platform = "tiktok", metric = "vibes", target = 1.0 } } });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("goals[0].metric", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var twice = await max.PutAsJsonAsync($"{api}/goals", new { goals = new[] { new { platform = "tiktok", metric = "posts-per-week", target = 1.0 }, new { platform = "tiktok", metric = "posts-per-week", target = 2.0 } } });
        Assert.Equal(HttpStatusCode.BadRequest, twice.StatusCode);
        var saved = await max.PutAsJsonAsync($"{api}/goals", new { goals = new[] { new { platform = "tiktok", metric = "engagement-rate", target = 2.0 } } });
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        var goals = await host.Client.GetFromJsonAsync<JsonElement>($"{api}/goals");
        Assert.Equal("engagement-rate", goals.GetProperty("goals")[0].GetProperty("metric").GetString());

        Assert.Equal(HttpStatusCode.BadRequest, (await rita.PostAsJsonAsync($"{api}/policy-events", new { platform = "tiktok", severity = "apocalyptic", title = "x" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await rita.PostAsJsonAsync($"{api}/policy-events", new { platform = "tiktok", severity = "high", title = "  " })).StatusCode);
        var logged = await rita.PostAsJsonAsync($"{api}/policy-events", new { platform = "tiktok", severity = "critical", title = "country ban announced 🚫" });
        Assert.Equal(HttpStatusCode.Created, logged.StatusCode);
        Assert.Equal("critical", (await logged.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("severity").GetString());

        Assert.Equal(HttpStatusCode.BadRequest, (await host.Client.GetAsync($"{api}?window=13")).StatusCode);
        var card = await host.Client.GetFromJsonAsync<JsonElement>($"{api}?window=7");
        var tiktok = card.GetProperty("platforms").EnumerateArray().Single(p => p.GetProperty("platform").GetString() == "tiktok");
        Assert.Equal(JsonValueKind.Null, tiktok.GetProperty("figures").GetProperty("reach").ValueKind);
        Assert.Equal(JsonValueKind.Null, tiktok.GetProperty("goals")[0].GetProperty("actual").ValueKind);
        Assert.Equal(0, tiktok.GetProperty("parts").GetProperty("policy").GetDouble());

        // stability and engagement unknown (0.5), reach trend flat (0.5), a critical event (0): 100 × (0.2 + 0.125 + 0.1) = 42.5 → 43.
        Assert.Equal(43, tiktok.GetProperty("trustScore").GetInt32());
        Assert.Contains(card.GetProperty("advice").EnumerateArray(), a => a.GetProperty("kind").GetString() == "policy");
    }

    [Fact]
    public async Task ASentPostBecomesADraft_OnlyForAResponder()
    {
        var (ws, id, rita, _) = await SetUpAsync();
        var posts = host.Services.GetRequiredService<IPostStore>();
        var now = DateTimeOffset.UtcNow;
        var sent = await posts.CreateAsync(
            new Post { WorkspaceId = id, Platform = Platform.Mastodon, AccountKey = "mastodon:@brand@example.social", Text = "Our spring sale 🌷 is on", State = PostState.Sent, AuthorName = "Rita", Schedule = new PostSchedule(now.AddDays(-3), "UTC", now.AddDays(-3).UtcDateTime), RemoteUrl = "https://example.social/@brand/1", CreatedAt = now.AddDays(-4), UpdatedAt = now.AddDays(-3) },
            new PostEventDraft(now, null, "Rita", PostEventKind.Created, "created"),
            CancellationToken.None);

        var best = await host.Client.GetFromJsonAsync<JsonElement>($"/api/workspaces/{ws}/best-of?platform=mastodon");
        Assert.Equal(0, best.GetProperty("posts").GetArrayLength());
        Assert.Equal(1, best.GetProperty("sentWithoutEngagementData").GetInt32());
        Assert.Equal(HttpStatusCode.BadRequest, (await host.Client.GetAsync($"/api/workspaces/{ws}/best-of?limit=0")).StatusCode);

        var draftUrl = $"/api/workspaces/{ws}/best-of/{sent.Id}/draft";
        Assert.Equal(HttpStatusCode.BadRequest, (await rita.PostAsJsonAsync(draftUrl, new { mode = "clone" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await rita.PostAsJsonAsync(draftUrl, new { mode = "repost", platform = "x" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await rita.PostAsJsonAsync($"/api/workspaces/{ws}/best-of/999999/draft", new { mode = "repost" })).StatusCode);
        var created = await rita.PostAsJsonAsync(draftUrl, new { mode = "remix", platform = "x" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var draft = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("draft").GetProperty("post");
        Assert.Equal(("draft", "x", "Our spring sale 🌷 is on"), (draft.GetProperty("state").GetString(), draft.GetProperty("platform").GetString(), draft.GetProperty("text").GetString()));
    }

    private async Task<(string Ws, long Id, HttpClient Rita, HttpClient Max)> SetUpAsync()
    {
        var ws = await host.NewWorkspaceAsync();
        var workspace = (await host.Services.GetRequiredService<IWorkspaceStore>().FindAsync(ws, CancellationToken.None))!;
        var ritaToken = await TestAccounts.TokenForAsync(host.Services, $"rita-{ws}@example.com", workspace.Id, WorkspaceRole.Responder);
        var maxToken = await TestAccounts.TokenForAsync(host.Services, $"max-{ws}@example.com", workspace.Id, WorkspaceRole.Manager);
        return (ws, workspace.Id, TestAccounts.WithBearer(new Uri(host.BaseAddress), ritaToken), TestAccounts.WithBearer(new Uri(host.BaseAddress), maxToken));
    }
}
