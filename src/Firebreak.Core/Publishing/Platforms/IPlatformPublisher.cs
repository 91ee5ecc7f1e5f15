namespace Firebreak.Core.Publishing.Platforms;

using Firebreak.Core.Mentions;
using Firebreak.Core.Publishing.Outbox;

/// <summary>What to publish: the exact text and the key that makes a retry land on the same post.</summary>
/// <param name="IdempotencyKey">Mastodon: the Idempotency-Key header; Bluesky: the record key (a TID).</param>
/// <param name="CreatedAt">The post's stable creation time (Bluesky's record createdAt), the same on every attempt.</param>
public sealed record PublishRequest(string Text, IReadOnlyList<string> MediaUrls, string IdempotencyKey, DateTimeOffset CreatedAt);

public enum PublishStatus
{
    /// <summary>It is on the platform.</summary>
    Published,

    /// <summary>Try again later (timeout, 5xx, 429, network): the post may or may not be there, so the next attempt reconciles first.</summary>
    Transient,

    /// <summary>The platform refused it for good (401, 403, 422, too long): a person must act.</summary>
    Permanent,
}

/// <summary>One attempt's result; <see cref="Error"/> carries the platform's own message.</summary>
public sealed record PublishAttempt(PublishStatus Status, string? RemoteId = null, string? RemoteUrl = null, string? Error = null, TimeSpan? RetryAfter = null)
{
    public static PublishAttempt Published(string id, string? url) => new(PublishStatus.Published, id, url);

    public static PublishAttempt Transient(string error, TimeSpan? retryAfter = null) => new(PublishStatus.Transient, Error: error, RetryAfter: retryAfter);

    public static PublishAttempt Permanent(string error) => new(PublishStatus.Permanent, Error: error);
}

/// <summary>The newest posts of an owned account after a checkpoint, newest first, and the new checkpoint.</summary>
public sealed record ReadBack(IReadOnlyList<RemotePost> Posts, string? Checkpoint);

/// <summary>
/// The sending side of one platform's API: publish with an idempotency key, find an earlier attempt's post
/// (reconciliation after a crash or a timeout), and read back what is on the account (the rogue-post alarm).
/// Implementations never throw for what the platform says; they throw only on cancellation.
/// </summary>
public interface IPlatformPublisher
{
    Platform Platform { get; }

    Task<PublishAttempt> PublishAsync(PlatformAccount account, PublishRequest request, CancellationToken cancellationToken);

    /// <summary>The post an earlier attempt of <paramref name="request"/> made, if the platform has it; null when it surely does not.
    /// Throws <see cref="PlatformUnavailableException"/> when it cannot tell (then nothing may be sent).</summary>
    Task<RemotePost?> FindAsync(PlatformAccount account, PublishRequest request, DateTimeOffset sentSince, CancellationToken cancellationToken);

    /// <summary>Posts newer than <paramref name="checkpoint"/> (null: just the newest, to set a first checkpoint).</summary>
    Task<ReadBack> ReadBackAsync(PlatformAccount account, string? checkpoint, CancellationToken cancellationToken);
}

/// <summary>The platform could not be asked (network, 5xx, timeout); the message says what it answered.</summary>
public sealed class PlatformUnavailableException(string message, TimeSpan? retryAfter = null) : Exception(message)
{
    public TimeSpan? RetryAfter { get; } = retryAfter;
}
