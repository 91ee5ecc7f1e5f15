namespace Firebreak.Core.Connectors;

using Firebreak.Core.Ingestion;

/// <summary>
/// For APIs that page newest first (X recent search, Reddit listings, YouTube comment threads): the pass collects every
/// item newer than the checkpoint, then hands them to the runner oldest first in chunks, each chunk's checkpoint being
/// its newest item. A crash between chunks resumes after the last committed chunk, so nothing is skipped or repeated.
/// </summary>
public static class OldestFirst
{
    /// <param name="newestFirst">Items as the platform returned them (newest first), each with the checkpoint it stands for.</param>
    public static IEnumerable<ListenPage> Pages(IReadOnlyList<(MentionInput Item, string Checkpoint)> newestFirst, IReadOnlyList<ItemError> errors, string? newest, int size = 100)
    {
        if (newestFirst.Count == 0)
        {
            if (errors.Count > 0 || newest is not null)
            {
                yield return new ListenPage([], newest, errors);
            }

            yield break;
        }

        var oldestFirst = newestFirst.Reverse().ToList();
        for (var start = 0; start < oldestFirst.Count; start += size)
        {
            var chunk = oldestFirst.Skip(start).Take(size).ToList();
            var last = start + size >= oldestFirst.Count;
            yield return new ListenPage(chunk.Select(c => c.Item).ToList(), last && newest is not null ? newest : chunk[^1].Checkpoint, start == 0 ? errors : []);
        }
    }
}
