namespace Firebreak.Core.Ingestion;

using Firebreak.Core.Text;
using Firebreak.Core.Topics;
using Firebreak.Core.Topics.Query;

/// <summary>
/// Match topics: tokenises each mention once, looks it up in the workspace's topic index (terms are
/// indexed, so cost grows with matching candidates, not with the number of topics) and keeps the
/// folded tokens for the full-text index.
/// </summary>
public sealed class MatchStage(TopicCatalog catalog) : IIngestStage
{
    private readonly Tokenizer tokenizer = new();
    private readonly MatchSubject subject = new();
    private readonly List<long> matched = [];

    public string Name => "match";

    public async ValueTask ProcessAsync(IReadOnlyList<IngestBatch> batches, CancellationToken cancellationToken)
    {
        foreach (var batch in batches)
        {
            if (batch.Items.Count == 0)
            {
                continue;
            }

            var index = await catalog.GetIndexAsync(batch.WorkspaceId, cancellationToken).ConfigureAwait(false);
            foreach (var item in batch.Items)
            {
                if (item.Outcome != IngestOutcome.Pending || item.Mention is not { } mention)
                {
                    continue;
                }

                subject.Load(mention, tokenizer);
                item.SearchText = subject.Tokens.ToSearchString();
                matched.Clear();
                index.Match(subject, matched);
                if (matched.Count == 0)
                {
                    item.TopicIds = [];
                    continue;
                }

                matched.Sort();
                item.TopicIds = [.. matched];
            }
        }
    }
}
