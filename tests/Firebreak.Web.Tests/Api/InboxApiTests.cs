namespace Firebreak.Web.Tests.Api;

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Firebreak.Core.Security;
using Firebreak.Core.Workspaces;
using Firebreak.Tests.Shared;
using Microsoft.Extensions.DependencyInjection;

/// <summary>The incident inbox through the API on a real host: ranking, claims and their collision, replies queued, approval.</summary>
public sealed class InboxApiTests(AlertApiHost host) : IClassFixture<AlertApiHost>
{
    private HttpClient Client => host.Client;

    [Fact]
    public async Task Claim_Reply_Queued_AndApproval_WithCollisionAndLengthGuards()
    {
        var ws = await host.NewWorkspaceAsync();
        var workspace = (await host.Services.GetRequiredService<IWorkspaceStore>().FindAsync(ws, CancellationToken.None))!;
        var responderToken = await TestAccounts.TokenForAsync(host.Services, $"rita-{ws}@example.com", workspace.Id, WorkspaceRole.Responder);
        var ritaId = (await host.Services.GetRequiredService<IAccountStore>().FindByEmailAsync($"rita-{ws}@example.com", CancellationToken.None))!.Id;
        using var rita = TestAccounts.WithBearer(new Uri(host.BaseAddress), responderToken);

        var now = DateTimeOffset.UtcNow;
        var ingest = await Client.PostAsJsonAsync($"/api/workspaces/{ws}/ingest", new object[]
        {
            new { platform = "x", externalId = "x-1", kind = "post", author = new { handle = "angry_dan", followers = 250_000 }, text = "Your product burned my kitchen. Terrible, I'm calling my lawyer.", language = "en", createdAt = now.AddMinutes(-50), engagement = new { likes = 900, shares = 400, replies = 120, views = 0 } },
            new { platform = "facebook", externalId = "fb-1", kind = "post", author = new { handle = "mila", followers = 120 }, text = "Is the recall real?", language = "en", createdAt = now.AddMinutes(-20) },
            new { platform = "x", externalId = "x-old", kind = "post", author = new { handle = "old", followers = 10 }, text = "from last week", language = "en", createdAt = now.AddDays(-7) },
        });
        Assert.Equal(HttpStatusCode.OK, ingest.StatusCode);
        var incident = await (await Client.PostAsJsonAsync($"/api/workspaces/{ws}/incidents", new { title = "Kitchen fire claims", type = "product-safety", severity = "sev2" })).Content.ReadFromJsonAsync<JsonElement>();
        var id = incident.GetProperty("id").GetInt64();
        var api = $"/api/workspaces/{ws}/incidents/{id}";

        // Ranked: the viral post above the question; last week's mention is before the declaration − 1 h. With 30-minute
        // targets the x post (50 minutes) waited past its target and the question (20 minutes) did not.
        Assert.Equal(HttpStatusCode.OK, (await Client.PutAsJsonAsync($"/api/workspaces/{ws}/inbox/targets", new { highRiskMinutes = 30, otherMinutes = 30 })).StatusCode);
        var inbox = await Client.GetFromJsonAsync<JsonElement>($"{api}/inbox");
        var items = inbox.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(["x-1", "fb-1"], items.Select(i => i.GetProperty("mention").GetProperty("externalId").GetString()));
        Assert.Equal(2, inbox.GetProperty("total").GetInt32());
        Assert.Contains("reach 250k", items[0].GetProperty("risk").GetProperty("why").GetString(), StringComparison.Ordinal);
        Assert.InRange(items[0].GetProperty("waitedMinutes").GetDouble(), 49, 55);
        Assert.Equal(30, items[0].GetProperty("targetMinutes").GetDouble());
        Assert.True(items[0].GetProperty("pastTarget").GetBoolean());
        Assert.False(items[1].GetProperty("pastTarget").GetBoolean());
        var xId = items[0].GetProperty("mention").GetProperty("id").GetInt64();
        var fbId = items[1].GetProperty("mention").GetProperty("id").GetInt64();

        // The owner claims the x post; Rita is refused with 409 naming who holds it, and may not reply to it.
        var claimed = await Client.PostAsJsonAsync($"{api}/inbox/{xId}/claim", new { });
        Assert.Equal(HttpStatusCode.OK, claimed.StatusCode);
        var holderName = (await claimed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("name").GetString();
        var collision = await rita.PostAsJsonAsync($"{api}/inbox/{xId}/claim", new { });
        Assert.Equal(HttpStatusCode.Conflict, collision.StatusCode);
        var problem = await collision.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(holderName, problem.GetProperty("holder").GetProperty("name").GetString());
        Assert.Contains(holderName!, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, (await rita.PostAsJsonAsync($"{api}/replies", new { mentionId = xId, text = "Hi" })).StatusCode);
        Assert.Equal(holderName, (await Client.GetFromJsonAsync<JsonElement>($"{api}/inbox")).GetProperty("items")[0].GetProperty("claim").GetProperty("name").GetString());

        // Over the platform's limit: refused with a clear error naming the field and the limit.
        var tooLong = await Client.PostAsJsonAsync($"{api}/replies", new { mentionId = xId, text = new string('a', 281) });
        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
        Assert.Equal("is 281 characters; x allows 280", (await tooLong.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("text")[0].GetString());
        var unknownVariable = await Client.PostAsJsonAsync($"{api}/replies", new { mentionId = xId, text = "Hi {autor}" });
        Assert.Contains("{autor}", (await unknownVariable.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("text")[0].GetString(), StringComparison.Ordinal);

        // From a template in Spanish: rendered, queued (no approver on the incident), on the timeline.
        var templates = await Client.GetFromJsonAsync<JsonElement[]>($"/api/workspaces/{ws}/reply-templates");
        var apologyEs = templates!.Single(t => t.GetProperty("name").GetString() == "apology-dm" && t.GetProperty("language").GetString() == "es").GetProperty("id").GetInt64();
        var sent = await Client.PostAsJsonAsync($"{api}/replies", new { mentionId = xId, templateId = apologyEs, brand = "Acme" });
        Assert.Equal(HttpStatusCode.Created, sent.StatusCode);
        var reply = await sent.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(("queued", false), (reply.GetProperty("state").GetString(), reply.GetProperty("needsApproval").GetBoolean()));
        Assert.StartsWith("Hola @angry_dan, lamentamos", reply.GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.EndsWith($"(caso #{id}-{xId}). — Acme", reply.GetProperty("text").GetString(), StringComparison.Ordinal);
        var answered = (await Client.GetFromJsonAsync<JsonElement>($"{api}/inbox")).GetProperty("items")[0];
        Assert.True(answered.GetProperty("answered").GetBoolean());
        Assert.False(answered.GetProperty("pastTarget").GetBoolean());

        // With an approver (Rita) on the incident, the next reply waits for her; nobody approves their own.
        Assert.Equal(HttpStatusCode.OK, (await Client.PutAsJsonAsync($"{api}/roles/approver", new { accountIds = new[] { ritaId } })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Client.PostAsJsonAsync($"{api}/inbox/{fbId}/claim", new { })).StatusCode);
        var pending = await (await Client.PostAsJsonAsync($"{api}/replies", new { mentionId = fbId, text = "No recall has been issued; details at acme.example/safety" })).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(("pendingApproval", true), (pending.GetProperty("state").GetString(), pending.GetProperty("needsApproval").GetBoolean()));
        var pendingId = pending.GetProperty("id").GetInt64();
        Assert.Equal(HttpStatusCode.Forbidden, (await Client.PostAsJsonAsync($"{api}/replies/{pendingId}/approve", new { })).StatusCode);
        var approved = await rita.PostAsJsonAsync($"{api}/replies/{pendingId}/approve", new { });
        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        var approvedReply = await approved.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("queued", approvedReply.GetProperty("state").GetString());
        Assert.Equal(ritaId, approvedReply.GetProperty("approvedBy").GetProperty("accountId").GetInt64());
        Assert.Equal(HttpStatusCode.Conflict, (await rita.PostAsJsonAsync($"{api}/replies/{pendingId}/approve", new { })).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await rita.PostAsJsonAsync($"{api}/replies/{pendingId}/retry", new { })).StatusCode);

        var replies = await Client.GetFromJsonAsync<JsonElement[]>($"{api}/replies");
        Assert.Equal(["queued", "queued"], replies!.Select(r => r.GetProperty("state").GetString()));
        var timeline = (await Client.GetFromJsonAsync<JsonElement>($"{api}/timeline")).GetProperty("items").EnumerateArray().Where(e => e.GetProperty("kind").GetString() == "reply").Select(e => e.GetProperty("text").GetString()).ToList();
        Assert.Equal(3, timeline.Count);
        Assert.Contains(timeline, t => t!.Contains("approved by", StringComparison.Ordinal));

        // Release: Rita has no claim to release; the owner (a Manager+) assigns the x post to her, then she releases it.
        Assert.Equal(HttpStatusCode.NotFound, (await rita.DeleteAsync($"{api}/inbox/{xId}/claim")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await rita.PostAsJsonAsync($"{api}/inbox/{fbId}/claim", new { accountId = 1 })).StatusCode);
        var assigned = await Client.PostAsJsonAsync($"{api}/inbox/{xId}/claim", new { accountId = ritaId });
        Assert.Equal(ritaId, (await assigned.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accountId").GetInt64());
        Assert.Equal(HttpStatusCode.NoContent, (await rita.DeleteAsync($"{api}/inbox/{xId}/claim")).StatusCode);
    }

    [Fact]
    public async Task Templates_AndTargets_AreManagedByManagers_WithValidation()
    {
        var ws = await host.NewWorkspaceAsync();
        var bad = await Client.PutAsJsonAsync($"/api/workspaces/{ws}/reply-templates/Bad Name/english", new { text = "Hi {nome}" });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal(["language", "name", "text"], (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").EnumerateObject().Select(p => p.Name).Order());
        var saved = await Client.PutAsJsonAsync($"/api/workspaces/{ws}/reply-templates/refund/it", new { text = "Ciao {author}, ti rimborsiamo. — {brand}" });
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        var templates = await Client.GetFromJsonAsync<JsonElement[]>($"/api/workspaces/{ws}/reply-templates");
        Assert.Contains(templates!, t => t.GetProperty("name").GetString() == "refund" && t.GetProperty("language").GetString() == "it");

        Assert.Equal(60, (await Client.GetFromJsonAsync<JsonElement>($"/api/workspaces/{ws}/inbox/targets")).GetProperty("highRiskMinutes").GetInt32());
        Assert.Equal(HttpStatusCode.BadRequest, (await Client.PutAsJsonAsync($"/api/workspaces/{ws}/inbox/targets", new { highRiskMinutes = 0, otherMinutes = 30 })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Client.PutAsJsonAsync($"/api/workspaces/{ws}/inbox/targets", new { highRiskMinutes = 15, otherMinutes = 90 })).StatusCode);
        Assert.Equal(90, (await Client.GetFromJsonAsync<JsonElement>($"/api/workspaces/{ws}/inbox/targets")).GetProperty("otherMinutes").GetInt32());
    }
}
