namespace Firebreak.Core.Ingestion;

using System.Text;

/// <summary>Parse: turns raw NDJSON lines into wire inputs; bad lines are rejected with their line number.</summary>
public sealed class ParseStage : IIngestStage
{
    public string Name => "parse";

    public ValueTask ProcessAsync(IReadOnlyList<IngestBatch> batches, CancellationToken cancellationToken)
    {
        foreach (var batch in batches)
        {
            foreach (var item in batch.Items)
            {
                if (item.Input is not null || item.RawLine.IsEmpty)
                {
                    continue;
                }

                var span = item.RawLine.Span;
                if (IngestJson.TryParse(span, out var input, out var field, out var reason))
                {
                    item.Input = input;
                    item.RawPayload = Encoding.UTF8.GetString(span);
                }
                else
                {
                    batch.Reject(item, field, reason);
                }
            }
        }

        return ValueTask.CompletedTask;
    }
}
