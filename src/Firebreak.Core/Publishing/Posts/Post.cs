namespace Firebreak.Core.Publishing.Posts;

using Firebreak.Core.Mentions;

/// <summary>Where a post is on its way to the platform.</summary>
public enum PostState
{
    /// <summary>Being written; nobody is asked to approve it yet.</summary>
    Draft = 1,

    /// <summary>Waiting for the workflow's approvers.</summary>
    InReview = 2,

    /// <summary>Every step approved this revision; not scheduled (or no outbox took it yet).</summary>
    Approved = 3,

    /// <summary>Approved and handed to the outbox for its time.</summary>
    Scheduled = 4,

    /// <summary>On the platform.</summary>
    Sent = 5,

    /// <summary>The outbox gave up; the error says why.</summary>
    Failed = 6,

    /// <summary>Its time passed during a hold (or event mode): a person must look again; approvals were cleared.</summary>
    ReturnedForReview = 7,

    /// <summary>The check just before sending blocked it; the error gives the reason.</summary>
    Blocked = 8,
}

/// <summary>What kind of media a post attaches (platforms accept different ones).</summary>
public enum MediaKind
{
    Image = 1,
    Video = 2,
    Gif = 3,
}

public sealed record PostMedia(string Url, MediaKind Kind);

/// <summary>
/// When a post goes: the UTC instant the outbox uses, plus the wall time and IANA zone the author chose, kept so the
/// calendar shows what the author meant and a daylight-saving edge is never silently moved.
/// </summary>
public sealed record PostSchedule(DateTimeOffset At, string TimeZone, DateTime LocalTime);

/// <summary>One approval, for one step of the workflow, of one revision.</summary>
public sealed record PostApproval(long AccountId, string Name, int Step, int Revision, DateTimeOffset At);

/// <summary>A planned post on one platform account.</summary>
public sealed record Post
{
    public long Id { get; init; }

    public required long WorkspaceId { get; init; }

    public required Platform Platform { get; init; }

    /// <summary>The owned account (see <see cref="IPlatformAccounts"/>); empty until chosen.</summary>
    public string AccountKey { get; init; } = string.Empty;

    public required string Text { get; init; }

    public IReadOnlyList<PostMedia> Media { get; init; } = [];

    /// <summary>Links attached beside the text (a link card); links inside the text are checked too.</summary>
    public IReadOnlyList<string> Links { get; init; } = [];

    public string? Campaign { get; init; }

    public PostSchedule? Schedule { get; init; }

    public PostState State { get; init; } = PostState.Draft;

    /// <summary>Bumped by every content change; approvals count only for the current one.</summary>
    public int Revision { get; init; } = 1;

    /// <summary>Bumped by every write; an edit names the version it read (optimistic concurrency).</summary>
    public int Version { get; init; } = 1;

    public long? AuthorId { get; init; }

    public required string AuthorName { get; init; }

    public IReadOnlyList<PostApproval> Approvals { get; init; } = [];

    /// <summary>The last rejection's reason, or the outbox's error.</summary>
    public string? Note { get; init; }

    public string? RemoteUrl { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>Approvals that count: those of the current revision.</summary>
    public IEnumerable<PostApproval> CurrentApprovals => Approvals.Where(a => a.Revision == Revision);

    /// <summary>True when the content (what the audience sees, and where) differs; such a change resets approvals.</summary>
    public bool ContentDiffers(Post other) =>
        Platform != other.Platform
        || !string.Equals(AccountKey, other.AccountKey, StringComparison.Ordinal)
        || !string.Equals(Text, other.Text, StringComparison.Ordinal)
        || !Media.SequenceEqual(other.Media)
        || !Links.SequenceEqual(other.Links, StringComparer.Ordinal)
        || !string.Equals(Campaign, other.Campaign, StringComparison.Ordinal);
}

/// <summary>What happened to a post (its append-only history; comments are entries too).</summary>
public enum PostEventKind
{
    Created = 1,
    Edited = 2,
    Submitted = 3,
    Approved = 4,
    Rejected = 5,
    Commented = 6,
    Scheduled = 7,
    Unscheduled = 8,
    Sent = 9,
    Failed = 10,
    ReturnedForReview = 11,
    Blocked = 12,
    Deleted = 13,
    WarningsAcknowledged = 14,
}

public sealed record PostEvent(long Id, long PostId, int Revision, DateTimeOffset At, long? ActorId, string ActorName, PostEventKind Kind, string Text);

/// <summary>A history entry before it is stored.</summary>
public sealed record PostEventDraft(DateTimeOffset At, long? ActorId, string ActorName, PostEventKind Kind, string Text);
