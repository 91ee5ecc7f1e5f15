namespace Firebreak.Storage.Tests.Publishing;

using System.Collections.Concurrent;
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
