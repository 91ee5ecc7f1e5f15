using Firebreak.Core.Ingestion;
using Firebreak.Core.Mentions;

namespace Firebreak.Core.Detection.Terms;

/// <summary>
/// One new mention, as <see cref="EmergingTermDetector"/> needs it. Feed each mention once, when it is first
/// stored: a re-capture or an edit of the same post is not new talk about anything.
/// </summary>
/// <param name="WorkspaceId">The workspace.</param>
/// <param name="TopicIds">Topics the mention matched, without topic 0 (the whole stream is always counted).</param>
/// <param name="MentionId">The stored mention id, used as a sample in detections.</param>
/// <param name="Text">The mention's text as received; the detector folds and tokenizes it.</param>
/// <param name="CreatedAt">When it was posted: the data time it is counted at.</param>
/// <param name="CapturedAt">When it was heard; caps <paramref name="CreatedAt"/> so a fast platform clock cannot
/// push the detector's clock into the future.</param>
public readonly record struct TermObservation(
    long WorkspaceId,
    long[] TopicIds,
    long MentionId,
    string Text,
    DateTimeOffset CreatedAt,
    DateTimeOffset CapturedAt)
{
    public static TermObservation Of(Mention mention, long[] topicIds)
    {
        ArgumentNullException.ThrowIfNull(mention);
        ArgumentNullException.ThrowIfNull(topicIds);
        return new TermObservation(mention.WorkspaceId, topicIds, mention.Id, mention.Text, mention.CreatedAt, mention.CapturedAt);
    }

    /// <summary>The observation for a live mention, or null when it is not new (a re-capture, an edit, a repeat).</summary>
    public static TermObservation? OfNew(LiveMention live)
    {
        ArgumentNullException.ThrowIfNull(live);
        return live.Outcome == IngestOutcome.Inserted ? Of(live.Mention, live.TopicIds) : null;
    }
}
