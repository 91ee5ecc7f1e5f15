namespace Firebreak.Core.Publishing.Outbox;

using Firebreak.Core.Mentions;

/// <summary>
/// The durable outbox, its holds, the publisher's heartbeat and the read-back checkpoints (one portable implementation for
/// SQLite and PostgreSQL). Every state change is guarded on the state (and lease owner) it expects, so two senders, or a
/// sender and a person, never both win.
/// </summary>
public interface IOutboxStore
{
    /// <summary>Adds or replaces the item of (workspace, post); false when it is Sending or Sent.</summary>
    Task<bool> EnqueueAsync(OutboxRequest request, string idempotencyKey, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Removes the item of (workspace, post); false when it is Sending or Sent (or absent).</summary>
    Task<bool> WithdrawAsync(long workspaceId, long postId, CancellationToken cancellationToken);

    /// <summary>
    /// Claims up to <paramref name="limit"/> due Scheduled items not covered by an active hold, marking them Sending with a
    /// lease, attempts + 1. Per workspace, the hold check and the claim are one statement in a transaction serialised with
    /// <see cref="PauseAsync"/>: a pause committed before the claim always wins.
    /// </summary>
    Task<IReadOnlyList<OutboxItem>> ClaimDueAsync(string owner, DateTimeOffset now, DateTimeOffset leaseUntil, int limit, CancellationToken cancellationToken);

    /// <summary>Takes over Sending items whose lease expired (their sender died): they must be reconciled before anything else.</summary>
    Task<IReadOnlyList<OutboxItem>> ClaimOrphansAsync(string owner, DateTimeOffset now, DateTimeOffset leaseUntil, int limit, CancellationToken cancellationToken);

    /// <summary>Sending → Sent with the platform's id, if <paramref name="owner"/> still holds the lease.</summary>
    Task<bool> MarkSentAsync(long id, string owner, string remoteId, string? remoteUrl, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Sending → Scheduled for another attempt at <paramref name="nextAttemptAt"/>, keeping the error.</summary>
    Task<bool> MarkRetryAsync(long id, string owner, string error, DateTimeOffset nextAttemptAt, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Sending → Failed or Blocked with the reason.</summary>
    Task<bool> MarkFinalAsync(long id, string owner, OutboxState state, string error, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>A person sends a Failed, Blocked or ReturnedForReview item again: Scheduled now, attempts reset. Null when it is not in one of those states.</summary>
    Task<OutboxItem?> RetryAsync(long workspaceId, long id, DateTimeOffset now, CancellationToken cancellationToken);

    Task<OutboxItem?> GetAsync(long workspaceId, long id, CancellationToken cancellationToken);

    /// <summary>How many of the workspace's items are in each state.</summary>
    Task<IReadOnlyDictionary<OutboxState, int>> CountByStateAsync(long workspaceId, CancellationToken cancellationToken);

    /// <summary>Newest due first; null states: all.</summary>
    Task<IReadOnlyList<OutboxItem>> ListAsync(long workspaceId, IReadOnlyList<OutboxState>? states, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// Stores a hold and, in the same serialised transaction, reads the items already claimed (Sending) that it covers.
    /// With <paramref name="eventMode"/>, the Scheduled items it covers are returned to review at once.
    /// </summary>
    Task<PauseResult> PauseAsync(PublishHold hold, string byName, bool eventMode, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// Releases the active holds matching (scope, target) — all of the workspace's when scope is null — and, in the same
    /// transaction, returns to review the Scheduled items whose time passed and which no remaining hold covers.
    /// </summary>
    Task<ResumeResult> ResumeAsync(long workspaceId, HoldScope? scope, string? target, string byName, DateTimeOffset now, CancellationToken cancellationToken);

    Task<IReadOnlyList<StoredHold>> ActiveHoldsAsync(long workspaceId, CancellationToken cancellationToken);

    /// <summary>The sender's heartbeat, one row per sender node.</summary>
    Task BeatAsync(string node, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>The latest beat of any sender; null when none ever beat.</summary>
    Task<DateTimeOffset?> LastBeatAsync(CancellationToken cancellationToken);

    /// <summary>Per workspace, Scheduled items due at or before <paramref name="dueBy"/> and not on hold (what a working publisher would have sent).</summary>
    Task<IReadOnlyDictionary<long, int>> CountDueAsync(DateTimeOffset dueBy, CancellationToken cancellationToken);

    /// <summary>The read-back checkpoint of an owned account (the newest remote id seen), null before the first read.</summary>
    Task<string?> CheckpointAsync(long workspaceId, string accountKey, CancellationToken cancellationToken);

    Task SetCheckpointAsync(long workspaceId, string accountKey, string checkpoint, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// Which of these remote posts came through the outbox (or were marked "posted by us elsewhere"): Sent items with that
    /// remote id, allow-listed ids, and, for a send whose id is not recorded yet, Sending items of the account with the same text.
    /// </summary>
    Task<IReadOnlySet<string>> OursAsync(long workspaceId, Platform platform, string accountKey, IReadOnlyList<RemotePost> posts, CancellationToken cancellationToken);

    /// <summary>Marks a remote post as posted by the team elsewhere (not a rogue post).</summary>
    Task AllowAsync(long workspaceId, Platform platform, string remoteId, string note, string byName, DateTimeOffset now, CancellationToken cancellationToken);
}
