namespace Firebreak.Storage.Tests.Publishing;

using System.Collections.Concurrent;
using Firebreak.Core.Alerts;
using Firebreak.Core.Detection;
using Firebreak.Core.Mentions;
using Firebreak.Core.Publishing;

/// <summary>In-memory owned accounts (the connectors part's <see cref="IPlatformAccounts"/> is not on this branch).</summary>
internal sealed class InMemoryAccounts : IPlatformAccounts
{
    private readonly ConcurrentDictionary<(long, string), PlatformAccount> accounts = new();

    public void Add(PlatformAccount account) => accounts[(account.WorkspaceId, account.AccountKey)] = account;

    public Task<IReadOnlyList<PlatformAccount>> ListAsync(long workspaceId, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<PlatformAccount>>([.. accounts.Values.Where(a => a.WorkspaceId == workspaceId).OrderBy(a => a.AccountKey, StringComparer.Ordinal)]);

    public Task<PlatformAccount?> FindAsync(long workspaceId, string accountKey, CancellationToken cancellationToken) =>
        Task.FromResult(accounts.GetValueOrDefault((workspaceId, accountKey)));
}

/// <summary>Records every outcome the outbox tells the posts part.</summary>
internal sealed class RecordingOutcomes : IPublishOutcomeSink
{
    public ConcurrentQueue<PublishOutcome> Outcomes { get; } = new();

    public Task OnOutcomeAsync(PublishOutcome outcome, CancellationToken cancellationToken)
    {
        Outcomes.Enqueue(outcome);
        return Task.CompletedTask;
    }
}

/// <summary>A pre-publish check that blocks texts containing a word (the posts part's real check is not on this branch).</summary>
internal sealed class BlockingWordCheck(string word) : IPrePublishCheck
{
    public Task<PrePublishVerdict> CheckAsync(long workspaceId, Platform platform, string text, IReadOnlyList<string> mediaUrls, CancellationToken cancellationToken) =>
        Task.FromResult(text.Contains(word, StringComparison.OrdinalIgnoreCase)
            ? new PrePublishVerdict(PrePublishLevel.Block, [new PrePublishFinding(PrePublishLevel.Block, "sensitive-term", $"contains '{word}'")])
            : new PrePublishVerdict(PrePublishLevel.Pass, []));
}

/// <summary>Collects what reaches alerting's entry point.</summary>
internal sealed class RecordingAlertSink : IAlertSink
{
    public ConcurrentQueue<Detection> Detections { get; } = new();

    public ValueTask SubmitAsync(IReadOnlyList<Detection> detections, CancellationToken cancellationToken = default)
    {
        foreach (var detection in detections)
        {
            Detections.Enqueue(detection);
        }

        return ValueTask.CompletedTask;
    }
}

/// <summary>What a crash test throws at a send step: the sender instance is dead from there on.</summary>
internal sealed class SimulatedCrash(string step) : Exception($"simulated crash at {step}");
