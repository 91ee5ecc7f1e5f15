using Firebreak.Core.Security;
using Microsoft.Extensions.DependencyInjection;

namespace Firebreak.Storage.Tests.Accounts;

/// <summary>The account tables on each provider: first-run owner, last-owner rule, lockout counting, one-time codes and steps.</summary>
public abstract class AccountStoreTests(StoreProvider provider) : IAsyncLifetime
{
    private TestStore store = null!;
    private IAccountStore accounts = null!;
    private long workspace;

    private static CancellationToken None => CancellationToken.None;

    public async Task InitializeAsync()
    {
        store = await TestStore.OpenAsync(provider);
        accounts = store.Services.GetRequiredService<IAccountStore>();
        workspace = await store.AddWorkspaceAsync();
    }

    public async Task DisposeAsync() => await store.DisposeAsync();

    [StoreFact]
    public async Task CreateOwner_OnlyOnce_AndOwnsExistingWorkspaces()
    {
        var owner = await accounts.CreateOwnerAsync("Owner@Example.com", "Olga", "hash", None);

        Assert.NotNull(owner);
        Assert.Equal("owner@example.com", owner.Email);
        Assert.True(owner.IsInstanceAdmin);
        Assert.Equal(WorkspaceRole.Owner, await accounts.GetRoleAsync(workspace, owner.Id, None));
        Assert.Null(await accounts.CreateOwnerAsync("second@example.com", "Second", "hash", None));
        Assert.Equal(1, await accounts.CountAsync(None));
    }

    [StoreFact]
    public async Task LastOwner_CannotBeDemotedOrRemoved_UntilAnotherOwnerExists()
    {
        var owner = (await accounts.CreateOwnerAsync("owner@example.com", "Olga", "hash", None))!;
        var other = (await accounts.CreateAsync("other@example.com", "Otto", "hash", false, None))!;

        Assert.False(await accounts.SetMembershipAsync(workspace, owner.Id, WorkspaceRole.Admin, None));
        Assert.False(await accounts.RemoveMembershipAsync(workspace, owner.Id, None));
        Assert.True(await accounts.SetMembershipAsync(workspace, other.Id, WorkspaceRole.Owner, None));
        Assert.True(await accounts.SetMembershipAsync(workspace, owner.Id, WorkspaceRole.Viewer, None));
        Assert.False(await accounts.RemoveMembershipAsync(workspace, other.Id, None));
        Assert.True(await accounts.RemoveMembershipAsync(workspace, owner.Id, None));
        Assert.Equal(WorkspaceRole.Owner, Assert.Single(await accounts.ListMembersAsync(workspace, None)).Role);
    }

    [StoreFact]
    public async Task RecordFailure_LocksAtThreshold_AndChangesTheStamp()
    {
        var account = (await accounts.CreateAsync("ana@example.com", "Ana", "hash", false, None))!;
        var until = TestStore.Now.AddMinutes(15);

        for (var i = 0; i < 4; i++)
        {
            Assert.False(await accounts.RecordFailureAsync(account.Id, 5, until, "new-stamp", None));
        }

        Assert.True(await accounts.RecordFailureAsync(account.Id, 5, until, "new-stamp", None));
        var locked = (await accounts.GetAsync(account.Id, None))!;
        Assert.Equal(until, locked.LockedUntil);
        Assert.Equal("new-stamp", locked.SecurityStamp);
        await accounts.ResetFailuresAsync(account.Id, None);
        Assert.Null((await accounts.GetAsync(account.Id, None))!.LockedUntil);
    }

    [StoreFact]
    public async Task StepsAndRecoveryCodes_WorkOnce()
    {
        var account = (await accounts.CreateAsync("ana@example.com", "Ana", "hash", false, None))!;
        await accounts.ReplaceRecoveryCodesAsync(account.Id, ["h1", "h2"], None);

        Assert.True(await accounts.TryUseStepAsync(account.Id, 100, None));
        Assert.False(await accounts.TryUseStepAsync(account.Id, 100, None));
        Assert.False(await accounts.TryUseStepAsync(account.Id, 99, None));
        Assert.True(await accounts.TryUseStepAsync(account.Id, 101, None));
        Assert.True(await accounts.UseRecoveryCodeAsync(account.Id, "h1", TestStore.Now, None));
        Assert.False(await accounts.UseRecoveryCodeAsync(account.Id, "h1", TestStore.Now, None));
        Assert.Equal(1, await accounts.CountRecoveryCodesAsync(account.Id, None));
    }

    [StoreFact]
    public async Task Tokens_FoundByHash_RevokedOnlyByTheirOwner()
    {
        var ana = (await accounts.CreateAsync("ana@example.com", "Ana", "hash", false, None))!;
        var bob = (await accounts.CreateAsync("bob@example.com", "Bob", "hash", false, None))!;
        var token = await accounts.AddTokenAsync(ana.Id, "ci", "fbk_abcdefgh", "sha", TokenScopes.Read | TokenScopes.Ingest, workspace, TestStore.Now.AddDays(30), None);

        Assert.Equal(token, await accounts.FindTokenAsync("sha", None));
        Assert.False(await accounts.RevokeTokenAsync(bob.Id, token.Id, TestStore.Now, None));
        Assert.True(await accounts.RevokeTokenAsync(ana.Id, token.Id, TestStore.Now, None));
        Assert.False((await accounts.FindTokenAsync("sha", None))!.IsUsable(TestStore.Now));
    }

    [StoreFact]
    public async Task Invitation_UsableOnceBeforeExpiry()
    {
        var ana = (await accounts.CreateAsync("ana@example.com", "Ana", null, false, None))!;
        await accounts.AddInvitationAsync(ana.Id, "inv", TestStore.Now.AddDays(1), None);

        Assert.Null(await accounts.UseInvitationAsync("inv", TestStore.Now.AddDays(2), None));
        Assert.Equal(ana.Id, await accounts.UseInvitationAsync("inv", TestStore.Now, None));
        Assert.Null(await accounts.UseInvitationAsync("inv", TestStore.Now, None));
    }
}

public sealed class SqliteAccountStoreTests() : AccountStoreTests(StoreProvider.Sqlite);

[RequiresPostgres]
public sealed class PostgresAccountStoreTests() : AccountStoreTests(StoreProvider.Postgres);
