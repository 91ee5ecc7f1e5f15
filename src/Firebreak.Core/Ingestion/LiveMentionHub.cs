namespace Firebreak.Core.Ingestion;

using Firebreak.Core.Live;
using Firebreak.Core.Mentions;

/// <summary>A committed mention as live subscribers (dashboards, detectors) see it.</summary>
public sealed record LiveMention(Mention Mention, long[] TopicIds, IngestOutcome Outcome);

/// <summary>Fan-out of committed mentions to live subscribers (see <see cref="LiveFeed{T}"/>).</summary>
public sealed class LiveMentionHub : LiveFeed<LiveMention>;

/// <summary>Publish: after commit, tells live subscribers (the pipeline then acknowledges the submitters).</summary>
public sealed class PublishStage(LiveMentionHub hub) : IIngestStage
{
    public string Name => "publish";

    public ValueTask ProcessAsync(IReadOnlyList<IngestBatch> batches, CancellationToken cancellationToken)
    {
        foreach (var batch in batches)
        {
            if (hub.SubscriberCount > 0)
            {
                foreach (var item in batch.Items)
                {
                    if (item.Outcome is IngestOutcome.Inserted or IngestOutcome.Updated && item.Mention is { } mention)
                    {
                        hub.Publish(batch.WorkspaceId, new LiveMention(mention, item.TopicIds, item.Outcome));
                    }
                }
            }
        }

        return ValueTask.CompletedTask;
    }
}
