namespace Firebreak.Core.Publishing.Outbox;

using Firebreak.Core.Mentions;

/// <summary>Where an outbox item is. Stored as the number, so the numbers never change meaning.</summary>
public enum OutboxState
{
    /// <summary>Waiting for its time (or for its next attempt after a transient error).</summary>
    Scheduled = 1,

    /// <summary>Claimed by a sender, which may be calling the platform now. Recorded BEFORE the call, so a crash leaves a trace to reconcile.</summary>
    Sending = 2,

    Sent = 3,
    Failed = 4,
    ReturnedForReview = 5,
    Blocked = 6,
}

/// <summary>
/// One approved post in the durable outbox. <see cref="IdempotencyKey"/> is fixed when the item is enqueued (per post
/// revision) and sent with every attempt: Mastodon's Idempotency-Key header, or Bluesky's record key (a TID), so
/// the platform itself refuses a second copy.
/// </summary>
public sealed record OutboxItem(
    long Id,
    long WorkspaceId,
    long PostId,
    int Revision,
    Platform Platform,
    string AccountKey,
    string Text,
    IReadOnlyList<string> MediaUrls,
    DateTimeOffset DueAt,
    string? Campaign,
    OutboxState State,
    int Attempts,
    DateTimeOffset NextAttemptAt,
    string IdempotencyKey,
    string? LastError,
    string? RemoteId,
    string? RemoteUrl,
    string? LeaseOwner,
    DateTimeOffset? LeaseUntil,
    DateTimeOffset? SendingSince,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    public bool IsFinal => State is OutboxState.Sent;
}

/// <summary>A hold as the store keeps it: the contract's <see cref="PublishHold"/> plus who, and when it was released.</summary>
public sealed record StoredHold(PublishHold Hold, string ByName, DateTimeOffset? ReleasedAt, string? ReleasedBy);

/// <summary>What a pause did: the hold, the items a sender had already claimed (they may still reach the platform), and items event mode returned to review.</summary>
public sealed record PauseResult(PublishHold Hold, IReadOnlyList<OutboxItem> InFlight, IReadOnlyList<OutboxItem> ReturnedForReview);

/// <summary>What a resume did: the holds released and the overdue items returned to review instead of being sent.</summary>
public sealed record ResumeResult(IReadOnlyList<PublishHold> Released, IReadOnlyList<OutboxItem> ReturnedForReview);

/// <summary>A post read back from an owned account.</summary>
public sealed record RemotePost(string RemoteId, string? Url, string Text, DateTimeOffset? CreatedAt);
