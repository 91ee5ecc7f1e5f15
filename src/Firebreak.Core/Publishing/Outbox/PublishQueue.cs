namespace Firebreak.Core.Publishing.Outbox;

using Firebreak.Core.Mentions;
using Firebreak.Core.Publishing.Platforms;

/// <summary>The outbox's door (<see cref="IPublishQueue"/>): fixes each item's idempotency key when it enters.</summary>
public sealed class PublishQueue(IOutboxStore store, TimeProvider clock) : IPublishQueue
{
    public Task<bool> EnqueueAsync(OutboxRequest request, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(request.Text);
        ArgumentException.ThrowIfNullOrWhiteSpace(request.AccountKey);
        var now = clock.GetUtcNow();
        return store.EnqueueAsync(request, KeyFor(request, now), now, cancellationToken);
    }

    public Task<bool> WithdrawAsync(long workspaceId, long postId, CancellationToken cancellationToken) =>
        store.WithdrawAsync(workspaceId, postId, cancellationToken);

    /// <summary>Bluesky: a TID record key; elsewhere: an Idempotency-Key naming the post revision (unique per workspace, post, revision).</summary>
    public static string KeyFor(OutboxRequest request, DateTimeOffset now) => request.Platform == Platform.Bluesky
        ? Tid.For(now, request.WorkspaceId, request.PostId, request.Revision)
        : $"firebreak-{request.WorkspaceId}-{request.PostId}-r{request.Revision}-{now.ToUnixTimeMilliseconds()}";
}
