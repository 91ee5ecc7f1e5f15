namespace Firebreak.Core.Publishing;

using Firebreak.Core.Mentions;

// The seams between the three parts of publishing, agreed before they were built side by side:
// posts and approvals (Publishing/Posts, the calendar) hand approved posts to the outbox (Publishing/Outbox),
// which sends them through a platform's connector using an owned account's credentials (Connectors/).
// Each part registers its implementation; the others only see these interfaces.

/// <summary>An approved, scheduled post handed to the durable outbox.</summary>
/// <param name="WorkspaceId">The workspace.</param>
/// <param name="PostId">The post (the calendar's id); the outbox holds at most one item per post.</param>
/// <param name="Revision">The post's revision that was approved; a newer revision replaces an unsent item.</param>
/// <param name="Platform">Where it goes.</param>
/// <param name="AccountKey">Which owned account (see <see cref="IPlatformAccounts"/>).</param>
/// <param name="Text">The exact text to publish.</param>
/// <param name="MediaUrls">Media to attach (may be empty).</param>
/// <param name="DueAt">When to send (UTC instant).</param>
/// <param name="Campaign">Optional campaign name, so a hold can target it.</param>
public sealed record OutboxRequest(
    long WorkspaceId,
    long PostId,
    int Revision,
    Platform Platform,
    string AccountKey,
    string Text,
    IReadOnlyList<string> MediaUrls,
    DateTimeOffset DueAt,
    string? Campaign);

/// <summary>The outbox's door: approved posts go in, edited or unscheduled ones come out while they still can.</summary>
public interface IPublishQueue
{
    /// <summary>Adds or replaces the item for (workspace, post). False when that post is already being sent or was sent.</summary>
    Task<bool> EnqueueAsync(OutboxRequest request, CancellationToken cancellationToken);

    /// <summary>Removes the item for (workspace, post). False when it is already being sent or was sent.</summary>
    Task<bool> WithdrawAsync(long workspaceId, long postId, CancellationToken cancellationToken);
}

/// <summary>What finally happened to an outbox item.</summary>
public enum PublishOutcomeKind
{
    /// <summary>It is on the platform (exactly once).</summary>
    Sent,

    /// <summary>It gave up (a permanent error or retries exhausted); the error says why. It can be retried by a person.</summary>
    Failed,

    /// <summary>Its time passed while publishing was on hold; a person must look at it again before it goes.</summary>
    ReturnedForReview,

    /// <summary>The check just before sending blocked it; the error gives the reason.</summary>
    Blocked,
}

/// <summary>An outcome, told to the posts part so the calendar and the post's history follow.</summary>
public sealed record PublishOutcome(
    long WorkspaceId,
    long PostId,
    int Revision,
    PublishOutcomeKind Kind,
    DateTimeOffset At,
    string? RemoteId,
    string? RemoteUrl,
    string? Error);

/// <summary>Told of each outbox outcome (implemented by the posts part).</summary>
public interface IPublishOutcomeSink
{
    Task OnOutcomeAsync(PublishOutcome outcome, CancellationToken cancellationToken);
}

/// <summary>How bad a pre-publish finding is.</summary>
public enum PrePublishLevel
{
    Pass,
    Warn,
    Block,
}

/// <summary>One reason from the pre-publish risk check, e.g. ("sensitive-term", "contains 'shooting'", Block).</summary>
public sealed record PrePublishFinding(PrePublishLevel Level, string Code, string Reason);

/// <summary>The check's result: the worst level among its findings.</summary>
public sealed record PrePublishVerdict(PrePublishLevel Level, IReadOnlyList<PrePublishFinding> Findings);

/// <summary>The risk check run on every post before approval and again just before sending (implemented by the posts part).</summary>
public interface IPrePublishCheck
{
    Task<PrePublishVerdict> CheckAsync(long workspaceId, Platform platform, string text, IReadOnlyList<string> mediaUrls, CancellationToken cancellationToken);
}

/// <summary>What a hold covers.</summary>
public enum HoldScope
{
    Workspace,
    Platform,
    Campaign,
}

/// <summary>A pause of scheduled publishing (the pause switch), or "event mode" (a pause that also flags planned content for review).</summary>
/// <param name="Target">The platform name or campaign; null for the whole workspace.</param>
public sealed record PublishHold(
    long Id,
    long WorkspaceId,
    HoldScope Scope,
    string? Target,
    bool EventMode,
    string Reason,
    long? ByAccountId,
    DateTimeOffset Since);

/// <summary>The holds in force (implemented by the outbox part, which checks them atomically before each send).</summary>
public interface IPublishHolds
{
    Task<IReadOnlyList<PublishHold>> ActiveAsync(long workspaceId, CancellationToken cancellationToken);
}

/// <summary>An owned account on a platform, with its credential decrypted for the moment of use (never logged, never stored in clear).</summary>
/// <param name="AccountKey">Stable key within the workspace, e.g. "mastodon:@brand@example.social".</param>
/// <param name="BaseUri">The API's base (a Mastodon instance, a Bluesky PDS, a platform's API host).</param>
/// <param name="Handle">The account's handle or id on the platform.</param>
/// <param name="Secret">The access token (or Bluesky app password) to use.</param>
/// <param name="ExpiresAt">When the credential expires, if the platform says.</param>
public sealed record PlatformAccount(
    long WorkspaceId,
    string AccountKey,
    Platform Platform,
    Uri BaseUri,
    string Handle,
    string Secret,
    DateTimeOffset? ExpiresAt);

/// <summary>The workspace's owned accounts and their credentials (implemented by the connectors part).</summary>
public interface IPlatformAccounts
{
    Task<IReadOnlyList<PlatformAccount>> ListAsync(long workspaceId, CancellationToken cancellationToken);

    Task<PlatformAccount?> FindAsync(long workspaceId, string accountKey, CancellationToken cancellationToken);
}
