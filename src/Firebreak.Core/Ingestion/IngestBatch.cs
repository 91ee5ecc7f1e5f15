namespace Firebreak.Core.Ingestion;

using Firebreak.Core.Mentions;

/// <summary>What happened to one item when it reached the store.</summary>
public enum IngestOutcome
{
    Pending,
    Rejected,
    /// <summary>Dropped before the store because a later item in the same batch has the same key.</summary>
    Superseded,
    Inserted,
    Updated,
    Unchanged,

    /// <summary>Handed to the message broker (confirmed durable there); a worker will store it.</summary>
    Queued,
}

/// <summary>One item travelling through the pipeline; stages fill it in turn.</summary>
public sealed class IngestItem
{
    public int Index { get; init; }

    /// <summary>1-based line in the source file, when the item came from a file or NDJSON body.</summary>
    public long? Line { get; init; }

    /// <summary>Unparsed NDJSON line; the parse stage turns it into <see cref="Input"/>.</summary>
    public ReadOnlyMemory<byte> RawLine { get; init; }

    public MentionInput? Input { get; set; }

    public string? RawPayload { get; set; }

    public Mention? Mention { get; set; }

    /// <summary>Topics the mention matched (ascending, without the implicit all-mentions topic 0).</summary>
    public long[] TopicIds { get; set; } = [];

    /// <summary>Folded tokens joined by spaces, written to the full-text index.</summary>
    public string SearchText { get; set; } = string.Empty;

    public IngestOutcome Outcome { get; set; }
}

/// <summary>
/// A unit of work for the pipeline: items of one workspace. The submitter awaits <see cref="Completion"/>,
/// which completes only after the items are committed to the store, so an acknowledgement means durable.
/// </summary>
public sealed class IngestBatch
{
    private readonly List<IngestRejection> rejections = [];

    public IngestBatch(long workspaceId, List<IngestItem> items)
    {
        WorkspaceId = workspaceId;
        Items = items;
    }

    public long WorkspaceId { get; }

    public List<IngestItem> Items { get; }

    public IReadOnlyList<IngestRejection> Rejections => rejections;

    /// <summary>Stopwatch timestamp when the pipeline took the batch (0 before, and once finished); for metrics.</summary>
    internal long EnqueuedAt { get; set; }

    public TaskCompletionSource<IngestReport> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public static IngestBatch FromInputs(long workspaceId, IReadOnlyList<MentionInput> inputs, IReadOnlyList<string?>? raw = null)
    {
        var items = new List<IngestItem>(inputs.Count);
        for (var i = 0; i < inputs.Count; i++)
        {
            items.Add(new IngestItem { Index = i, Input = inputs[i], RawPayload = raw?[i] });
        }

        return new IngestBatch(workspaceId, items);
    }

    public void Reject(IngestItem item, string field, string reason)
    {
        item.Outcome = IngestOutcome.Rejected;
        lock (rejections)
        {
            rejections.Add(new IngestRejection(item.Index, field, reason, item.Line, item.Input?.ExternalId ?? item.Mention?.ExternalId));
        }
    }

    /// <summary>Records a rejection decided before the batch existed (the reader's oversize lines); its item is already in <see cref="Items"/>.</summary>
    public void AddRejection(IngestRejection rejection)
    {
        lock (rejections)
        {
            rejections.Add(rejection);
        }
    }

    public IngestReport BuildReport()
    {
        int inserted = 0, updated = 0, unchanged = 0, queued = 0;
        foreach (var item in Items)
        {
            switch (item.Outcome)
            {
                case IngestOutcome.Inserted:
                    inserted++;
                    break;
                case IngestOutcome.Updated:
                    updated++;
                    break;
                case IngestOutcome.Queued:
                    queued++;
                    break;
                case IngestOutcome.Unchanged:
                case IngestOutcome.Superseded:
                    unchanged++;
                    break;
            }
        }

        var sorted = rejections.OrderBy(r => r.Line ?? r.Index).ThenBy(r => r.Index).ToArray();
        return new IngestReport(Items.Count, inserted, updated, unchanged, sorted, queued);
    }
}

/// <summary>The answer to a submitter: how many items were new, updated, already known, and each rejection.</summary>
public sealed record IngestReport(int Received, int Inserted, int Updated, int Unchanged, IReadOnlyList<IngestRejection> Rejected, int Queued = 0)
{
    public int Accepted => Inserted + Updated + Unchanged + Queued;

    public static IngestReport Empty { get; } = new(0, 0, 0, 0, []);

    public IngestReport Add(IngestReport other) => new(
        Received + other.Received,
        Inserted + other.Inserted,
        Updated + other.Updated,
        Unchanged + other.Unchanged,
        Rejected.Count == 0 ? other.Rejected : other.Rejected.Count == 0 ? Rejected : [.. Rejected, .. other.Rejected],
        Queued + other.Queued);
}
