using Firebreak.Core.Playbooks;
using Microsoft.Extensions.DependencyInjection;

namespace Firebreak.Storage.Tests.Playbooks;

/// <summary>Playbook versions on each provider, through the library that reads the shipped playbooks through.</summary>
public abstract class PlaybookStoreTests(StoreProvider provider) : IAsyncLifetime
{
    private TestStore store = null!;
    private long workspace;
    private long other;

    private PlaybookLibrary Library => new(store.Services.GetRequiredService<IPlaybookStore>(), store.Clock);

    public async Task InitializeAsync()
    {
        store = await TestStore.OpenAsync(provider);
        workspace = await store.AddWorkspaceAsync();
        other = await store.AddWorkspaceAsync("other");
    }

    public async Task DisposeAsync() => await store.DisposeAsync();

    [StoreFact]
    public async Task NewWorkspace_ReadsTheShippedLibrary()
    {
        var list = await Library.ListAsync(workspace, CancellationToken.None);

        Assert.Equal(ShippedPlaybooks.List.Select(p => p.Playbook.Key).Order(), list.Select(p => p.Playbook.Key).Order());
        Assert.All(list, p => Assert.Equal((0, false, true), (p.Version, p.Edited, p.Shipped)));
        var version = Assert.Single((await Library.VersionsAsync(workspace, "data-breach", CancellationToken.None))!);
        Assert.True(version.IsShipped);
        Assert.Null(await Library.GetAsync(workspace, "no-such-playbook", CancellationToken.None));
    }

    [StoreFact]
    public async Task Save_AddsVersions_OverridesShipped_AndRestoreAddsAnother()
    {
        var shipped = ShippedPlaybooks.Find("hacked-account")!;
        var edited = shipped.Yaml.Replace("severity: critical", "severity: high", StringComparison.Ordinal);

        var first = await Library.SaveAsync(workspace, "hacked-account", edited, "Ana", "Our team rates this high", CancellationToken.None);
        store.Clock.Now = TestStore.Now.AddMinutes(5);
        var second = await Library.SaveAsync(workspace, "hacked-account", edited.Replace("title: Hacked or hijacked brand account", "title: Hacked account", StringComparison.Ordinal), "Ben", null, CancellationToken.None);

        Assert.Equal(1, first.Saved!.Version);
        Assert.Equal(2, second.Saved!.Version);
        var current = (await Library.GetAsync(workspace, "hacked-account", CancellationToken.None))!;
        Assert.Equal(("Hacked account", "high", 2, true), (current.Playbook.Title, current.Playbook.DefaultSeverity, current.Version, current.Edited));
        Assert.Equal(0, (await Library.GetAsync(other, "hacked-account", CancellationToken.None))!.Version);

        var versions = (await Library.VersionsAsync(workspace, "hacked-account", CancellationToken.None))!;
        Assert.Equal([2, 1, 0], versions.Select(v => v.Version));
        Assert.Equal(("Ana", "Our team rates this high", TestStore.Now), (versions[1].SavedBy, versions[1].Note, versions[1].SavedAt!.Value));
        Assert.Equal(edited, (await Library.GetVersionAsync(workspace, "hacked-account", 1, CancellationToken.None))!.Yaml);

        var restored = (await Library.RestoreAsync(workspace, "hacked-account", 0, "Cleo", CancellationToken.None))!;
        Assert.Equal((3, "Restored the shipped playbook", "Cleo"), (restored.Version, restored.Note, restored.SavedBy));
        Assert.Equal(shipped.Yaml, (await Library.GetAsync(workspace, "hacked-account", CancellationToken.None))!.Yaml);
        Assert.Equal(4, (await Library.RestoreAsync(workspace, "hacked-account", 2, "Cleo", CancellationToken.None))!.Version);
        Assert.Equal("Hacked account", (await Library.GetAsync(workspace, "hacked-account", CancellationToken.None))!.Playbook.Title);
        Assert.Null(await Library.RestoreAsync(workspace, "hacked-account", 9, "Cleo", CancellationToken.None));

        var listed = (await Library.ListAsync(workspace, CancellationToken.None)).Single(p => p.Playbook.Key == "hacked-account");
        Assert.Equal((4, true), (listed.Version, listed.Edited));
    }

    [StoreFact]
    public async Task Save_InvalidOrMismatchedFile_SavesNothing()
    {
        var invalid = await Library.SaveAsync(workspace, "test", "key: test\ntitle: x\n", "Ana", null, CancellationToken.None);
        var mismatched = await Library.SaveAsync(workspace, "other-key", ShippedPlaybooks.Find("data-breach")!.Yaml, "Ana", null, CancellationToken.None);

        Assert.Null(invalid.Saved);
        Assert.NotEmpty(invalid.Errors);
        Assert.Contains("'data-breach' but it is being saved as 'other-key'", Assert.Single(mismatched.Errors).Message, StringComparison.Ordinal);
        Assert.Empty(await store.Services.GetRequiredService<IPlaybookStore>().LatestAsync(workspace, CancellationToken.None));
    }

    [StoreFact]
    public async Task Save_ConcurrentSaves_GetDistinctVersions_AndOwnPlaybooksAreListed()
    {
        var yaml = ShippedPlaybooks.Find("data-breach")!.Yaml.Replace("key: data-breach", "key: our-breach", StringComparison.Ordinal);

        var saves = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Library.SaveAsync(workspace, "our-breach", yaml, $"person {i}", null, CancellationToken.None)));

        Assert.Equal(Enumerable.Range(1, 8), saves.Select(s => s.Saved!.Version).Order());
        var own = (await Library.ListAsync(workspace, CancellationToken.None)).Single(p => p.Playbook.Key == "our-breach");
        Assert.Equal((8, true, false), (own.Version, own.Edited, own.Shipped));
        Assert.DoesNotContain(await Library.ListAsync(other, CancellationToken.None), p => p.Playbook.Key == "our-breach");
    }
}

public sealed class SqlitePlaybookStoreTests() : PlaybookStoreTests(StoreProvider.Sqlite);

[RequiresPostgres]
public sealed class PostgresPlaybookStoreTests() : PlaybookStoreTests(StoreProvider.Postgres);
