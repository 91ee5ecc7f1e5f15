namespace Firebreak.Core.Connectors;

using Firebreak.Core.Ingestion;

/// <summary>
/// For APIs that page newest first (X recent search, Reddit listings, YouTube comment threads): the pass collects every
/// item newer than the checkpoint, then hands them to the runner oldest first in chunks, each chunk's checkpoint being
/// its newest item. A crash between chunks resumes after the last committed chunk, so nothing is skipped or repeated.
/// </summary>
/// <remarks>
/// Paging newest first means the page that breaks (malformed or truncated JSON) hides the items between what was read
/// and the checkpoint: nothing read in that pass is contiguous with the checkpoint. So a broken page is read again
/// (<see cref="ReadWholeAsync{T}"/>, a cut body is usually a one-off); when it stays broken the pass hands on what it
/// read but moves no checkpoint (<see cref="PassErrors.Broken"/>), and the next pass reads the gap again (the store
/// absorbs the items it already has as unchanged).
/// </remarks>
public static class OldestFirst
{
    /// <summary>How many times one page is asked for when it comes back malformed or truncated.</summary>
    public const int BrokenPageTries = 3;

    /// <summary>Reads a page, and reads it again (up to <see cref="BrokenPageTries"/> in all) while it comes back broken.</summary>
    public static async Task<T> ReadWholeAsync<T>(Func<Task<T>> read, Func<T, bool> broken)
    {
        for (var attempt = 1; ; attempt++)
        {
            // No pause between tries: the platform answered; only the body came back cut, and a new request is a new body.
            var page = await read().ConfigureAwait(false);
            if (!broken(page) || attempt == BrokenPageTries)
            {
                return page;
            }
        }
    }

    /// <param name="newestFirst">Items as the platform returned them (newest first), each with the checkpoint it stands for.</param>
    /// <param name="errors">The pass's errors; when a page stayed broken (<see cref="PassErrors.Broken"/>) no chunk carries a checkpoint.</param>
    public static IEnumerable<ListenPage> Pages(IReadOnlyList<(MentionInput Item, string Checkpoint)> newestFirst, PassErrors errors, string? newest, int size = 100)
    {
        var held = errors.Broken;
        if (held)
        {
            newest = null;
        }

        if (newestFirst.Count == 0)
        {
            if (errors.Count > 0 || newest is not null)
            {
                yield return new ListenPage([], newest, errors);
            }

            yield break;
        }

        var oldestFirst = new List<(MentionInput Item, string Checkpoint)>(newestFirst);
        oldestFirst.Reverse();
        for (var start = 0; start < oldestFirst.Count; start += size)
        {
            var chunk = oldestFirst.GetRange(start, Math.Min(size, oldestFirst.Count - start));
            var last = start + size >= oldestFirst.Count;
            var checkpoint = held ? null : last && newest is not null ? newest : chunk[^1].Checkpoint;
            yield return new ListenPage(chunk.ConvertAll(c => c.Item), checkpoint, start == 0 ? errors : []);
        }
    }
}
