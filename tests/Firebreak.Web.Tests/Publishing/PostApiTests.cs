namespace Firebreak.Web.Tests.Publishing;

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Firebreak.Core.Security;
using Firebreak.Core.Workspaces;
using Firebreak.Tests.Shared;
using Firebreak.Web.Tests.Api;
using Microsoft.Extensions.DependencyInjection;

/// <summary>Posts through the API on a real host: drafts, limits, DST, optimistic concurrency, the approval workflow and the risk check.</summary>
public sealed class PostApiTests(AlertApiHost host) : IClassFixture<AlertApiHost>
{
    private HttpClient Owner => host.Client;

    [Fact]
    public async Task DraftReviewApprove_WithSelfApprovalRefused_StaleEditsConflicting_AndEditsResettingApproval()
    {
        var (ws, rita, max, maxId) = await SetUpAsync();
        var api = $"/api/workspaces/{ws}/posts";
        var when = DateTimeOffset.UtcNow.AddDays(3).ToString("yyyy-MM-dd'T'10:00", System.Globalization.CultureInfo.InvariantCulture);
        var created = await rita.PostAsJsonAsync(api, new { platform = "mastodon", accountKey = "mastodon:@brand@example.social", text = "Spring is here 🌷", campaign = "spring", scheduledAt = when, timeZone = "Europe/London" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var post = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("post");
        var id = post.GetProperty("id").GetInt64();
        Assert.Equal(("draft", 1, 1), (post.GetProperty("state").GetString(), post.GetProperty("revision").GetInt32(), post.GetProperty("version").GetInt32()));
        Assert.Equal(when, post.GetProperty("localTime").GetString());
        Assert.Equal("Europe/London", post.GetProperty("timeZone").GetString());

        // A viewer-level read of the month shows it; a platform filter that does not match hides it.
        var from = DateTimeOffset.UtcNow.ToString("O");
        var to = DateTimeOffset.UtcNow.AddDays(30).ToString("O");
        Assert.Contains((await Owner.GetFromJsonAsync<JsonElement[]>($"{api}?from={Uri.EscapeDataString(from)}&to={Uri.EscapeDataString(to)}"))!, p => p.GetProperty("id").GetInt64() == id);
        Assert.Empty((await Owner.GetFromJsonAsync<JsonElement[]>($"{api}?from={Uri.EscapeDataString(from)}&to={Uri.EscapeDataString(to)}&platform=x"))!);

        // Two editors read version 1; the second to save gets 409 with the current post.
        Assert.Equal(HttpStatusCode.OK, (await rita.PatchAsJsonAsync($"{api}/{id}", new { text = "Spring is here! 🌷", version = 1 })).StatusCode);
        var stale = await Owner.PatchAsJsonAsync($"{api}/{id}", new { text = "Owner's edit", version = 1 });
        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        var conflict = await stale.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(2, conflict.GetProperty("current").GetProperty("version").GetInt32());
        Assert.Equal("Spring is here! 🌷", conflict.GetProperty("current").GetProperty("text").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, (await Owner.PatchAsJsonAsync($"{api}/{id}", new { text = "no version" })).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await rita.PostAsync($"{api}/{id}/submit", null)).StatusCode);

        // Nobody approves their own post; a manager does (this host has no outbox, so it stays approved; with one it is scheduled).
        var self = await rita.PostAsJsonAsync($"{api}/{id}/approve", new { });
        Assert.Equal(HttpStatusCode.Forbidden, self.StatusCode);
        Assert.Contains("own post", (await self.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        var approved = await max.PostAsJsonAsync($"{api}/{id}/approve", new { });
        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        var afterApproval = (await approved.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("post");
        Assert.Contains(afterApproval.GetProperty("state").GetString(), new[] { "approved", "scheduled" });
        Assert.Equal(maxId, afterApproval.GetProperty("approvals")[0].GetProperty("accountId").GetInt64());

        // An edit after approval bumps the revision and sends it back to review.
        var edit = await rita.PatchAsJsonAsync($"{api}/{id}", new { text = "Spring is finally here! 🌷", version = afterApproval.GetProperty("version").GetInt32() });
        var edited = (await edit.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("post");
        Assert.Equal(("in-review", 3), (edited.GetProperty("state").GetString(), edited.GetProperty("revision").GetInt32()));

        Assert.Equal(HttpStatusCode.Created, (await max.PostAsJsonAsync($"{api}/{id}/comments", new { text = "Can we say 'at last'?" })).StatusCode);
        var reject = await max.PostAsJsonAsync($"{api}/{id}/reject", new { reason = "Tone: too excited for this week" });
        Assert.Equal("draft", (await reject.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("post").GetProperty("state").GetString());
        var detail = await Owner.GetFromJsonAsync<JsonElement>($"{api}/{id}");
        Assert.Equal("Tone: too excited for this week", detail.GetProperty("post").GetProperty("note").GetString());
        Assert.Equal(
            ["Created", "Edited", "Submitted", "Approved", "Scheduled", "Edited", "Commented", "Rejected"],
            detail.GetProperty("history").EnumerateArray().Select(h => h.GetProperty("kind").GetString()));
    }

    [Fact]
    public async Task LimitsAndSchedulesFailClearlyBeforeApproval()
    {
        var (ws, rita, _, _) = await SetUpAsync();
        var api = $"/api/workspaces/{ws}/posts";
        var tooLong = await rita.PostAsJsonAsync(api, new { platform = "x", accountKey = "x:brand", text = new string('a', 250) + " https://example.com/" + new string('p', 100) + " " + new string('b', 10) });
        Assert.Equal(HttpStatusCode.Created, tooLong.StatusCode);
        var body = await tooLong.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains(body.GetProperty("issues").EnumerateArray(), i => i.GetProperty("field").GetString() == "text" && i.GetProperty("message").GetString()!.Contains("x allows 280", StringComparison.Ordinal));
        var submit = await rita.PostAsync($"{api}/{body.GetProperty("post").GetProperty("id").GetInt64()}/submit", null);
        Assert.Equal(HttpStatusCode.BadRequest, submit.StatusCode);
        Assert.Contains("is 285 weighted characters", (await submit.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);

        var tiktok = await rita.PostAsJsonAsync(api, new { platform = "tiktok", accountKey = "tiktok:brand", text = "clip", media = new[] { new { url = "https://cdn.example.com/a.png", kind = "image" } } });
        var tiktokId = (await tiktok.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("post").GetProperty("id").GetInt64();
        Assert.Contains("tiktok takes a video, not image", (await (await rita.PostAsync($"{api}/{tiktokId}/submit", null)).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);

        var year = DateTimeOffset.UtcNow.Year + 1;
        var gap = await rita.PostAsJsonAsync(api, new { platform = "x", accountKey = "x:brand", text = "hi", scheduledAt = $"{year}-03-{LastSunday(year, 3):00}T01:30", timeZone = "Europe/London" });
        Assert.Equal(HttpStatusCode.BadRequest, gap.StatusCode);
        Assert.Contains("does not exist in Europe/London", (await gap.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        var past = await rita.PostAsJsonAsync(api, new { platform = "x", accountKey = "x:brand", text = "hi", scheduledAt = "2020-01-01T10:00", timeZone = "America/New_York" });
        Assert.Contains("is in the past", await past.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var offset = await rita.PostAsJsonAsync(api, new { platform = "x", accountKey = "x:brand", text = "hi", scheduledAt = "2030-01-01T10:00:00Z" });
        Assert.Equal(HttpStatusCode.BadRequest, offset.StatusCode);
        var news = await rita.PostAsJsonAsync(api, new { platform = "news", text = "hi" });
        Assert.Contains("cannot publish to news", await news.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RulesAndTermsAreAManagersToSet_AndTheRiskCheckUsesThem()
    {
        var (ws, rita, max, maxId) = await SetUpAsync();
        var publishing = $"/api/workspaces/{ws}/publishing";
        Assert.Equal(HttpStatusCode.Forbidden, (await rita.PutAsJsonAsync($"{publishing}/sensitive-terms", new { terms = new[] { new { term = "x", level = "warn" } } })).StatusCode);
        var terms = await max.PutAsJsonAsync($"{publishing}/sensitive-terms", new { terms = new[] { new { term = "Shooting", level = "block", note = "school tragedy" } } });
        Assert.Equal(HttpStatusCode.OK, terms.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await max.PutAsJsonAsync($"{publishing}/sensitive-terms", new { terms = new[] { new { term = "x", level = "pass" } } })).StatusCode);

        var rules = await Owner.GetFromJsonAsync<JsonElement>($"{publishing}/approval-rules");
        Assert.True(rules.GetProperty("isDefault").GetBoolean());
        Assert.Equal(HttpStatusCode.BadRequest, (await max.PutAsJsonAsync($"{publishing}/approval-rules", new { steps = new[] { new { quorum = "any", people = new[] { 999_999L } } } })).StatusCode);
        var set = await max.PutAsJsonAsync($"{publishing}/approval-rules", new { steps = new object[] { new { quorum = "any", role = "manager" }, new { quorum = "all", people = new[] { maxId } } } });
        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        Assert.False((await Owner.GetFromJsonAsync<JsonElement>($"{publishing}/approval-rules")).GetProperty("isDefault").GetBoolean());

        var api = $"/api/workspaces/{ws}/posts";
        var created = await rita.PostAsJsonAsync(api, new { platform = "bluesky", accountKey = "bluesky:brand", text = "Photo tips: SHOOTING at golden hour, see [brand.com](https://brand-login.example.net/)" });
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("post").GetProperty("id").GetInt64();
        var check = await rita.PostAsync($"{api}/{id}/check", null);
        var verdict = (await check.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("verdict");
        Assert.Equal("block", verdict.GetProperty("level").GetString());
        Assert.Equal(["sensitive-term", "link-mismatch"], verdict.GetProperty("findings").EnumerateArray().Select(f => f.GetProperty("code").GetString()));
        var submit = await rita.PostAsync($"{api}/{id}/submit", null);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, submit.StatusCode);
        Assert.Contains("contains 'Shooting' (school tragedy)", (await submit.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheRiskCheckReadsToneWithTheHostsAnalyser_AndBlocksDuringASev1()
    {
        var (ws, rita, _, _) = await SetUpAsync();
        var api = $"/api/workspaces/{ws}/posts";
        var rude = await rita.PostAsJsonAsync(api, new { platform = "x", accountKey = "x:brand", text = "You are a fucking idiot if you miss this sale" });
        var rudeId = (await rude.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("post").GetProperty("id").GetInt64();
        var tone = (await (await rita.PostAsync($"{api}/{rudeId}/check", null)).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("verdict");
        Assert.Contains(tone.GetProperty("findings").EnumerateArray(), f => f.GetProperty("code").GetString() is "offensive" or "hateful");

        var calm = await rita.PostAsJsonAsync(api, new { platform = "x", accountKey = "x:brand", text = "Our new spring range is in stores today." });
        var calmId = (await calm.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("post").GetProperty("id").GetInt64();
        Assert.Equal("pass", (await (await rita.PostAsync($"{api}/{calmId}/check", null)).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("verdict").GetProperty("level").GetString());
        Assert.Equal(HttpStatusCode.Created, (await Owner.PostAsJsonAsync($"/api/workspaces/{ws}/incidents", new { title = "Factory fire", type = "product-safety", severity = "sev1" })).StatusCode);
        var during = (await (await rita.PostAsync($"{api}/{calmId}/check", null)).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("verdict");
        Assert.Equal("block", during.GetProperty("level").GetString());
        Assert.Contains("Factory fire", during.GetProperty("findings")[0].GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await rita.PostAsync($"{api}/{calmId}/submit", null)).StatusCode);
    }

    [Fact]
    public async Task TheSecondOfARepeatedHourIsKeptThroughLaterEdits()
    {
        var (ws, rita, _, _) = await SetUpAsync();
        var api = $"/api/workspaces/{ws}/posts";
        var year = DateTimeOffset.UtcNow.Year + 1;
        var local = $"{year}-10-{LastSunday(year, 10):00}T01:30";
        var unchosen = await rita.PostAsJsonAsync(api, new { platform = "x", accountKey = "x:brand", text = "hi", scheduledAt = local, timeZone = "Europe/London" });
        var body = await unchosen.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains(body.GetProperty("issues").EnumerateArray(), i => i.GetProperty("message").GetString()!.Contains("happens twice", StringComparison.Ordinal));
        Assert.Equal(new DateTimeOffset(year, 10, LastSunday(year, 10), 0, 30, 0, TimeSpan.Zero), body.GetProperty("post").GetProperty("scheduledAt").GetDateTimeOffset());

        var later = await (await rita.PostAsJsonAsync(api, new { platform = "x", accountKey = "x:brand", text = "hi", scheduledAt = local, timeZone = "Europe/London", ambiguous = "later" })).Content.ReadFromJsonAsync<JsonElement>();
        var post = later.GetProperty("post");
        var at = post.GetProperty("scheduledAt").GetDateTimeOffset();
        Assert.Equal(TimeSpan.FromHours(1), at - body.GetProperty("post").GetProperty("scheduledAt").GetDateTimeOffset());
        var edited = await (await rita.PatchAsJsonAsync($"{api}/{post.GetProperty("id").GetInt64()}", new { text = "hello", version = post.GetProperty("version").GetInt32() })).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(at, edited.GetProperty("post").GetProperty("scheduledAt").GetDateTimeOffset());
        Assert.Equal(local, edited.GetProperty("post").GetProperty("localTime").GetString());
    }

    private async Task<(string Ws, HttpClient Rita, HttpClient Max, long MaxId)> SetUpAsync()
    {
        var ws = await host.NewWorkspaceAsync();
        var workspace = (await host.Services.GetRequiredService<IWorkspaceStore>().FindAsync(ws, CancellationToken.None))!;
        var ritaToken = await TestAccounts.TokenForAsync(host.Services, $"rita-{ws}@example.com", workspace.Id, WorkspaceRole.Responder);
        var maxToken = await TestAccounts.TokenForAsync(host.Services, $"max-{ws}@example.com", workspace.Id, WorkspaceRole.Manager);
        var maxId = (await host.Services.GetRequiredService<IAccountStore>().FindByEmailAsync($"max-{ws}@example.com", CancellationToken.None))!.Id;

        // The brand's owned accounts the posts go to (a post must name a connected account). Port 9 on loopback refuses
        // at once, so the read-back of the rogue-post alarm never waits on a network in these tests.
        foreach (var (platform, handle) in new[] { ("mastodon", "@brand@example.social"), ("x", "brand"), ("bluesky", "brand"), ("tiktok", "brand") })
        {
            var connected = await Owner.PostAsJsonAsync($"/api/workspaces/{ws}/connections", new { platform, handle, baseUri = "http://127.0.0.1:9/", token = "test-token-" + platform });
            Assert.Equal(HttpStatusCode.Created, connected.StatusCode);
        }

        return (ws, TestAccounts.WithBearer(new Uri(host.BaseAddress), ritaToken), TestAccounts.WithBearer(new Uri(host.BaseAddress), maxToken), maxId);
    }

    private static int LastSunday(int year, int month)
    {
        var day = new DateTime(year, month, DateTime.DaysInMonth(year, month));
        while (day.DayOfWeek != DayOfWeek.Sunday)
        {
            day = day.AddDays(-1);
        }

        return day.Day;
    }
}
