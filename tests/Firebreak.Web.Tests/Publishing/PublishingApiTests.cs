namespace Firebreak.Web.Tests.Publishing;

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Firebreak.Core.Mentions;
using Firebreak.Core.Publishing;
using Firebreak.Core.Security;
using Firebreak.Core.Workspaces;
using Firebreak.Tests.Shared;
using Firebreak.Web.Tests.Api;
using Microsoft.Extensions.DependencyInjection;

/// <summary>The pause switch through the API on a real host: who may pause and resume, validation, holds, status and the outbox view.</summary>
public sealed class PublishingApiTests(AlertApiHost host) : IClassFixture<AlertApiHost>
{
    [Fact]
    public async Task ViewerCannotPause_ResponderPauses_OnlyAManagerResumes_AndOverduePostsComeBackForReview()
    {
        var ws = await host.NewWorkspaceAsync();
        var workspace = (await host.Services.GetRequiredService<IWorkspaceStore>().FindAsync(ws, CancellationToken.None))!;
        using var viewer = TestAccounts.WithBearer(new Uri(host.BaseAddress), await TestAccounts.TokenForAsync(host.Services, $"vic-{ws}@example.com", workspace.Id, WorkspaceRole.Viewer));
        using var responder = TestAccounts.WithBearer(new Uri(host.BaseAddress), await TestAccounts.TokenForAsync(host.Services, $"rita-{ws}@example.com", workspace.Id, WorkspaceRole.Responder));
        var api = $"/api/workspaces/{ws}/publishing";

        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PostAsJsonAsync($"{api}/pause", new { scope = "workspace", reason = "x" })).StatusCode);
        var noReason = await responder.PostAsJsonAsync($"{api}/pause", new { scope = "workspace", reason = " " });
        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        Assert.Contains("say why", (await noReason.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("reason")[0].GetString(), StringComparison.Ordinal);
        var badScope = await responder.PostAsJsonAsync($"{api}/pause", new { scope = "galaxy", reason = "x" });
        Assert.Equal(HttpStatusCode.BadRequest, badScope.StatusCode);

        var paused = await responder.PostAsJsonAsync($"{api}/pause", new { scope = "workspace", reason = "Breaking news — مرحبا 🚨" });
        Assert.Equal(HttpStatusCode.OK, paused.StatusCode);
        var hold = (await paused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("hold");
        Assert.Equal(("workspace", "Breaking news — مرحبا 🚨"), (hold.GetProperty("scope").GetString(), hold.GetProperty("reason").GetString()));
        Assert.Single((await viewer.GetFromJsonAsync<JsonElement[]>($"{api}/holds"))!);

        // Enqueued while paused, due in a second: the host's sender must not take it (it would fail: no owned account is connected here).
        var queue = host.Services.GetRequiredService<IPublishQueue>();
        Assert.True(await queue.EnqueueAsync(new OutboxRequest(workspace.Id, 1, 1, Platform.Mastodon, "mastodon:@brand", "Launch day!", [], DateTimeOffset.UtcNow.AddSeconds(1), "launch"), CancellationToken.None));
        var status = await viewer.GetFromJsonAsync<JsonElement>($"{api}/status");
        Assert.Equal(1, status.GetProperty("holds").GetArrayLength());
        Assert.Equal(1, status.GetProperty("items").GetProperty("scheduled").GetInt32());

        await Task.Delay(TimeSpan.FromSeconds(1.5)); // the post's time passes during the hold
        Assert.Equal(HttpStatusCode.Forbidden, (await responder.PostAsJsonAsync($"{api}/resume", new { })).StatusCode);
        var resumed = await host.Client.PostAsJsonAsync($"{api}/resume", new { });
        Assert.Equal(HttpStatusCode.OK, resumed.StatusCode);
        var body = await resumed.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(1, body.GetProperty("released").GetArrayLength());
        Assert.Equal("returned-for-review", body.GetProperty("returnedForReview")[0].GetProperty("state").GetString());
        Assert.Empty((await viewer.GetFromJsonAsync<JsonElement[]>($"{api}/holds"))!);
        var review = await viewer.GetFromJsonAsync<JsonElement[]>($"{api}/outbox?state=returned-for-review");
        Assert.Equal("Launch day!", Assert.Single(review!).GetProperty("text").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, (await viewer.GetAsync($"{api}/outbox?state=nonsense")).StatusCode);

        // Retrying and allow-listing take a Manager.
        var id = review![0].GetProperty("id").GetInt64();
        Assert.Equal(HttpStatusCode.Forbidden, (await responder.PostAsync($"{api}/outbox/{id}/retry", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await host.Client.PostAsync($"{api}/outbox/{id}/retry", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await responder.PostAsJsonAsync($"{api}/allowed-posts", new { platform = "mastodon", remoteId = "1", note = "" })).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await host.Client.PostAsJsonAsync($"{api}/allowed-posts", new { platform = "mastodon", remoteId = "1", note = "from the phone" })).StatusCode);
    }
}
