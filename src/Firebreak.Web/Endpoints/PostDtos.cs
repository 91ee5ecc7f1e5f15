namespace Firebreak.Web.Endpoints;

using System.Globalization;
using Firebreak.Core.Mentions;
using Firebreak.Core.Publishing;
using Firebreak.Core.Publishing.Posts;
using Firebreak.Core.Security;

public sealed record MediaDto(string Url, string Kind);

/// <summary>
/// A post's fields as written (create: all that matter; PATCH: only those to change, plus version). scheduledAt is a
/// wall time without offset ("2026-03-29T09:30") in timeZone (an IANA name; the workspace's by default); ambiguous:
/// "earlier" or "later" for an hour repeated when clocks go back; clearSchedule removes the time.
/// </summary>
public sealed record PostRequest(
    string? Platform,
    string? AccountKey,
    string? Text,
    MediaDto[]? Media,
    string[]? Links,
    string? Campaign,
    string? ScheduledAt,
    string? TimeZone,
    string? Ambiguous,
    bool? ClearSchedule,
    int? Version);

public sealed record ScheduleRequest(string? ScheduledAt, string? TimeZone, string? Ambiguous, int? Version);

public sealed record ApproveRequest(bool? AcknowledgeWarnings, int? Version);

public sealed record RejectRequest(string? Reason);

public sealed record CommentRequest(string? Text);

public sealed record ApprovalDto(long AccountId, string Name, int Step, int Revision, DateTimeOffset At);

public sealed record IssueDto(string Field, string Message, bool Error)
{
    public static IssueDto From(PostIssue issue) => new(issue.Field, issue.Message, issue.Error);
}

public sealed record FindingDto(string Level, string Code, string Reason)
{
    public static FindingDto From(PrePublishFinding f) => new(f.Level.ToString().ToLowerInvariant(), f.Code, f.Reason);
}

public sealed record VerdictDto(string Level, FindingDto[] Findings)
{
    public static VerdictDto? From(PrePublishVerdict? v) => v is null ? null : new(v.Level.ToString().ToLowerInvariant(), [.. v.Findings.Select(FindingDto.From)]);
}

public sealed record PostDto(
    long Id,
    string Platform,
    string AccountKey,
    string Text,
    MediaDto[] Media,
    string[] Links,
    string? Campaign,
    DateTimeOffset? ScheduledAt,
    string? TimeZone,
    string? LocalTime,
    string State,
    int Revision,
    int Version,
    long? AuthorId,
    string AuthorName,
    ApprovalDto[] Approvals,
    string? Note,
    string? RemoteUrl,
    bool NeedsReview,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    public static PostDto From(Post p, bool needsReview = false) => new(
        p.Id, p.Platform.ToWire(), p.AccountKey, p.Text, [.. p.Media.Select(m => new MediaDto(m.Url, m.Kind.ToString().ToLowerInvariant()))], [.. p.Links], p.Campaign,
        p.Schedule?.At, p.Schedule?.TimeZone, p.Schedule?.LocalTime.ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture),
        PostWire.State(p.State), p.Revision, p.Version, p.AuthorId, p.AuthorName,
        [.. p.Approvals.Select(a => new ApprovalDto(a.AccountId, a.Name, a.Step, a.Revision, a.At))], p.Note, p.RemoteUrl, needsReview, p.CreatedAt, p.UpdatedAt);
}

public sealed record PostEventDto(long Id, int Revision, DateTimeOffset At, long? ActorId, string ActorName, string Kind, string Text)
{
    public static PostEventDto From(PostEvent e) => new(e.Id, e.Revision, e.At, e.ActorId, e.ActorName, e.Kind.ToString(), e.Text);
}

public sealed record PreviewDto(string Platform, int Length, int Limit, int Graphemes, bool Fits, string Shown)
{
    public static PreviewDto From(PlatformPreview p) => new(p.Platform.ToWire(), p.Length, p.Limit, p.Graphemes, p.Fits, p.Shown);
}

/// <summary>A post with what its page needs: where it stands in the workflow, what keeps it from review, how it looks, its history.</summary>
public sealed record PostDetailDto(PostDto Post, string Approval, long[] WaitingFor, IssueDto[] Issues, PreviewDto Preview, PostEventDto[] History);

/// <summary>A post operation's answer: the post, plus warnings (issues that do not block) and the risk verdict when one was run.</summary>
public sealed record PostResultDto(PostDto Post, IssueDto[] Issues, VerdictDto? Verdict, string Message);

public sealed record CheckDto(IssueDto[] Issues, VerdictDto Verdict, PreviewDto Preview);

public sealed record ApprovalStepDto(string Quorum, string? Role, long[]? People);

public sealed record ApprovalRulesDto(ApprovalStepDto[] Steps, bool IsDefault)
{
    public static ApprovalRulesDto From(ApprovalWorkflow w, bool isDefault) => new(
        [.. w.Steps.Select(s => new ApprovalStepDto(s.Quorum.ToString().ToLowerInvariant(), s.Role?.ToString().ToLowerInvariant(), s.Role is null ? [.. s.People] : null))], isDefault);
}

public sealed record SensitiveTermDto(string Term, string Level, string? Note);

public sealed record SensitiveTermsDto(SensitiveTermDto[] Terms);

/// <summary>Wire names for the posts side's enums.</summary>
public static class PostWire
{
    public static string State(PostState state) => state switch
    {
        PostState.InReview => "in-review",
        PostState.ReturnedForReview => "returned-for-review",
        _ => state.ToString().ToLowerInvariant(),
    };

    public static bool TryState(string? value, out PostState state)
    {
        foreach (var candidate in Enum.GetValues<PostState>())
        {
            if (string.Equals(State(candidate), value, StringComparison.OrdinalIgnoreCase))
            {
                state = candidate;
                return true;
            }
        }

        state = default;
        return false;
    }

    public static bool TryMediaKind(string? value, out MediaKind kind) =>
        Enum.TryParse(value, ignoreCase: true, out kind) && Enum.IsDefined(kind) && !int.TryParse(value, out _);

    public static bool TryAmbiguous(string? value, out AmbiguousTime choice)
    {
        choice = AmbiguousTime.Unspecified;
        return string.IsNullOrEmpty(value) || (Enum.TryParse(value, ignoreCase: true, out choice) && choice != AmbiguousTime.Unspecified && !int.TryParse(value, out _));
    }

    public static bool TryLevel(string? value, out PrePublishLevel level) =>
        Enum.TryParse(value, ignoreCase: true, out level) && level is PrePublishLevel.Warn or PrePublishLevel.Block && !int.TryParse(value, out _);

    public static bool TryRole(string? value, out WorkspaceRole role) =>
        Enum.TryParse(value, ignoreCase: true, out role) && Enum.IsDefined(role) && !int.TryParse(value, out _);

    /// <summary>A wall time without offset: "2026-03-29T09:30" (seconds allowed and dropped).</summary>
    public static bool TryLocal(string? value, out DateTime local) =>
        DateTime.TryParseExact(value, ["yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd HH:mm"], CultureInfo.InvariantCulture, DateTimeStyles.None, out local);
}
