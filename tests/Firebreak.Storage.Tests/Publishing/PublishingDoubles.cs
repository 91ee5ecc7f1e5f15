namespace Firebreak.Storage.Tests.Publishing;

using System.Collections.Concurrent;
using Firebreak.Core.Alerts;
using Firebreak.Core.Detection;
using Firebreak.Core.Mentions;
using Firebreak.Core.Publishing;

/// <summary>
/// In-memory stand-ins for the outbox's door and its holds (built on other branches): they record what the posts
/// side asked, and can refuse a withdrawal as the real outbox does once a post is being sent.
/// </summary>
internal sealed class RecordingQueue : IPublishQueue
{
    public ConcurrentDictionary<long, OutboxRequest> Items { get; } = new();

    public List<string> Calls { get; } = [];

    public bool Sending { get; set; }

    public Task<bool> EnqueueAsync(OutboxRequest request, CancellationToken cancellationToken)
    {
        Calls.Add($"enqueue {request.PostId} r{request.Revision}");
        if (Sending)
        {
            return Task.FromResult(false);
        }

        Items[request.PostId] = request;
        return Task.FromResult(true);
    }

    public Task<bool> WithdrawAsync(long workspaceId, long postId, CancellationToken cancellationToken)
    {
        Calls.Add($"withdraw {postId}");
        return Task.FromResult(!Sending && Items.TryRemove(postId, out _));
    }
}

internal sealed class FixedHolds : IPublishHolds
{
    public List<PublishHold> Holds { get; } = [];

    public Task<IReadOnlyList<PublishHold>> ActiveAsync(long workspaceId, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<PublishHold>>([.. Holds.Where(h => h.WorkspaceId == workspaceId)]);
}

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
