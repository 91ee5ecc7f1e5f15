namespace Firebreak.Web.Tests.Auth;

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Firebreak.Core.Security;
using Firebreak.Tests.Shared;
using Firebreak.Web.Auth;
using Microsoft.Extensions.DependencyInjection;

/// <summary>Members and roles, invitations, the workspace's two-factor rule, first-run setup, and the audit API.</summary>
public sealed class MembersAndAuditTests(AuthHost host) : IClassFixture<AuthHost>
{
    [Fact]
    public async Task Admin_CannotGrantOwnerOrManageAdmins_NobodyChangesTheirOwnRole_LastOwnerStays()
    {
        var ws = await host.NewWorkspaceAsync();
        var admin = await host.PersonAsync(ws, WorkspaceRole.Admin);
        var otherAdmin = await host.PersonAsync(ws, WorkspaceRole.Admin);
        var viewer = await host.PersonAsync(ws, WorkspaceRole.Viewer);
        using var session = await host.SignInAsync(admin.Email);
        var owner = (await host.Client.GetFromJsonAsync<JsonElement>("/api/account")).GetProperty("id").GetInt64();

        Assert.Equal(HttpStatusCode.Forbidden, (await session.PutAsJsonAsync($"/api/workspaces/{ws}/members/{viewer.Id}", new { role = "owner" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await session.PostAsJsonAsync($"/api/workspaces/{ws}/members", new { email = "new-owner@example.com", role = "owner" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await session.DeleteAsync($"/api/workspaces/{ws}/members/{otherAdmin.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await session.PutAsJsonAsync($"/api/workspaces/{ws}/members/{admin.Id}", new { role = "viewer" })).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await session.PutAsJsonAsync($"/api/workspaces/{ws}/members/{viewer.Id}", new { role = "responder" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await host.Client.PutAsJsonAsync($"/api/workspaces/{ws}/members/{owner}", new { role = "admin" })).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await host.Client.DeleteAsync($"/api/workspaces/{ws}/members/{owner}")).StatusCode);

        var members = await host.Client.GetFromJsonAsync<JsonElement>($"/api/workspaces/{ws}/members");
        Assert.Equal("responder", members.EnumerateArray().Single(m => m.GetProperty("accountId").GetInt64() == viewer.Id).GetProperty("role").GetString());
        var audit = await host.Client.GetFromJsonAsync<JsonElement>($"/api/workspaces/{ws}/audit");
        Assert.Contains(audit.EnumerateArray(), e => e.GetProperty("action").GetString() == "member.role-changed" && e.GetProperty("actorId").GetInt64() == admin.Id);
    }

    [Fact]
    public async Task Invitation_NewEmail_SetsAPasswordOnceThenSignsIn()
    {
        var ws = await host.NewWorkspaceAsync();
        var email = $"invitee-{Guid.NewGuid():N}@example.com";

        var added = await host.Client.PostAsJsonAsync($"/api/workspaces/{ws}/members", new { email, role = "responder" });
        added.EnsureSuccessStatusCode();
        var link = (await added.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("invitationUrl").GetString()!;
        var token = Uri.UnescapeDataString(link.Split("token=")[1]);

        var weak = await host.Anonymous.PostAsJsonAsync("/api/account/invitation", new { token, password = "password2024!" });
        var accepted = await host.Anonymous.PostAsJsonAsync("/api/account/invitation", new { token, password = AuthHost.Password, displayName = "Ina Invitee" });
        var replay = await host.Anonymous.PostAsJsonAsync("/api/account/invitation", new { token, password = "someone else's choice" });

        Assert.Equal(HttpStatusCode.BadRequest, weak.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, accepted.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, replay.StatusCode);
        using var session = await host.SignInAsync(email);
        Assert.Equal(HttpStatusCode.OK, (await session.GetAsync($"/api/workspaces/{ws}/alerts")).StatusCode);
    }

    [Fact]
    public async Task RequireTwoFactor_MemberWithoutIt_IsToldToTurnItOn()
    {
        var ws = await host.NewWorkspaceAsync();
        var person = await host.PersonAsync(ws, WorkspaceRole.Viewer);
        using var session = await host.SignInAsync(person.Email);
        Assert.Equal(HttpStatusCode.OK, (await session.GetAsync($"/api/workspaces/{ws}/topics")).StatusCode);

        var workspace = (await host.Services.GetRequiredService<Core.Workspaces.IWorkspaceStore>().FindAsync(ws, CancellationToken.None))!;
        using var secured = TestAccounts.WithBearer(new Uri(host.BaseAddress), await TestAccounts.TokenForAsync(host.Services, $"secured-{ws}@example.com", workspace.Id, WorkspaceRole.Admin));
        var securedAccount = (await host.Services.GetRequiredService<IAccountStore>().FindByEmailAsync($"secured-{ws}@example.com", CancellationToken.None))!;
        await host.Services.GetRequiredService<IAccountStore>().SetTwoFactorAsync(securedAccount.Id, "sealed-secret", null, Account.NewStamp(), CancellationToken.None);

        // Turning the rule on without two-factor oneself would lock one out of the setting.
        Assert.Equal(HttpStatusCode.BadRequest, (await host.Client.PutAsJsonAsync($"/api/workspaces/{ws}/security", new { requireTwoFactor = true })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await secured.PutAsJsonAsync($"/api/workspaces/{ws}/security", new { requireTwoFactor = true })).StatusCode);
        var refused = await session.GetAsync($"/api/workspaces/{ws}/topics");

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("two-factor", await refused.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.OK, (await secured.GetAsync($"/api/workspaces/{ws}/topics")).StatusCode);
    }

    [Fact]
    public async Task Setup_AfterTheOwnerExists_IsClosed()
    {
        var status = await host.Anonymous.GetFromJsonAsync<JsonElement>("/api/account/setup");
        var again = await host.Anonymous.PostAsJsonAsync("/api/account/setup", new { token = "anything", email = "x@example.com", displayName = "X", password = AuthHost.Password });

        Assert.False(status.GetProperty("needsSetup").GetBoolean());
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Null(host.Services.GetRequiredService<SetupToken>().Value);
        Assert.False(File.Exists(Path.Combine(host.DataDirectory, SetupToken.FileName)));
    }

    [Fact]
    public async Task Audit_RecordsChangesWithActorAndTarget_AndVerifies()
    {
        var ws = await host.NewWorkspaceAsync();
        var created = await (await host.Client.PostAsJsonAsync($"/api/workspaces/{ws}/topics", new { name = "Refunds", query = "refund*" })).Content.ReadFromJsonAsync<JsonElement>();
        var id = created.GetProperty("id").GetInt64();
        (await host.Client.DeleteAsync($"/api/workspaces/{ws}/topics/{id}")).EnsureSuccessStatusCode();

        var entries = (await host.Client.GetFromJsonAsync<JsonElement>($"/api/workspaces/{ws}/audit")).EnumerateArray().ToList();
        var deleted = entries.First(e => e.GetProperty("action").GetString() == "DeleteTopic");
        Assert.Contains($"\"id\":\"{id}\"", deleted.GetProperty("target").GetString(), StringComparison.Ordinal);
        Assert.Equal("Olga Owner", deleted.GetProperty("actorName").GetString());
        Assert.Contains(entries, e => e.GetProperty("action").GetString() == "CreateTopic");
        Assert.True(entries[0].GetProperty("sequence").GetInt64() > entries[^1].GetProperty("sequence").GetInt64());

        var verify = await host.Client.GetFromJsonAsync<JsonElement>("/api/audit/verify");
        Assert.True(verify.GetProperty("intact").GetBoolean(), verify.ToString());

        var person = await host.PersonAsync(ws, WorkspaceRole.Admin);
        using var admin = await host.SignInAsync(person.Email);
        Assert.Equal(HttpStatusCode.Forbidden, (await admin.GetAsync("/api/audit/verify")).StatusCode);
    }
}
