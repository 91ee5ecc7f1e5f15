using Firebreak.Core.Ingestion;
using Firebreak.Core.Mentions;

namespace Firebreak.Core.Detection.Items;

/// <summary>
/// One capture of one item, as <see cref="ViralItemDetector"/> needs it. The same post captured again later
/// (same workspace, platform and external id) is a new observation with grown counters.
/// </summary>
/// <param name="WorkspaceId">The workspace.</param>
/// <param name="TopicIds">Topics the mention matched, without topic 0 (the whole stream is always included).</param>
/// <param name="MentionId">The stored mention id, used in the detection's dimension and samples.</param>
/// <param name="Platform">With <paramref name="ExternalId"/>, what makes two captures the same item.</param>
/// <param name="ExternalId">The platform's id of the item.</param>
/// <param name="Kind">Posts and replies get very different engagement, so each kind group has its own model.</param>
/// <param name="AuthorHandle">For the explanation only.</param>
/// <param name="AuthorFollowers">The author's reach at capture time.</param>
/// <param name="Engagement">Counters at capture time; replies and shares are what is measured.</param>
/// <param name="CreatedAt">When the item was posted.</param>
/// <param name="CapturedAt">When these counters were read; the detector's data clock.</param>
public readonly record struct ItemObservation(
    long WorkspaceId,
    long[] TopicIds,
    long MentionId,
    Platform Platform,
    string ExternalId,
    MentionKind Kind,
    string AuthorHandle,
    long AuthorFollowers,
    Engagement Engagement,
    DateTimeOffset CreatedAt,
    DateTimeOffset CapturedAt)
{
    /// <summary>Replies and shares: the counters that spread a post, unlike likes and views.</summary>
    public long Interactions => Engagement.Replies + Engagement.Shares;

    public static ItemObservation Of(Mention mention, long[] topicIds)
    {
        ArgumentNullException.ThrowIfNull(mention);
        ArgumentNullException.ThrowIfNull(topicIds);
        return new ItemObservation(
            mention.WorkspaceId,
            topicIds,
            mention.Id,
            mention.Platform,
            mention.ExternalId,
            mention.Kind,
            mention.Author.Handle,
            mention.Author.Followers,
            mention.Engagement,
            mention.CreatedAt,
            mention.CapturedAt);
    }

    public static ItemObservation Of(LiveMention live)
    {
        ArgumentNullException.ThrowIfNull(live);
        return Of(live.Mention, live.TopicIds);
    }
}
