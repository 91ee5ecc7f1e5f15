namespace Firebreak.Core.Connectors;

using System.Globalization;
using Firebreak.Core.Ingestion;

/// <summary>
/// The checkpoint of polling connectors that read "everything created since" (comments on owned posts, board pins):
/// the newest creation time committed, in Unix milliseconds. Each pass reads back to it inclusively, so an item created
/// in the same millisecond is read again (the idempotent store absorbs the repeat) and none is missed. The items of a
/// pass come as one page, oldest first; when any page of the pass was broken (malformed or truncated JSON), the old
/// checkpoint is kept, because the break may have hidden older items that the next pass must read again. A single item
/// of the wrong shape does not hold it: that item is recorded and will never read better.
/// </summary>
public static class TimeCheckpoint
{
    public static DateTimeOffset? Parse(string? checkpoint) =>
        long.TryParse(checkpoint, NumberStyles.None, CultureInfo.InvariantCulture, out var ms) ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;

    public static string? Format(DateTimeOffset? at) => at?.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);

    /// <summary>One page of the pass's items (deduplicated by external id, oldest first) with the checkpoint that covers them.</summary>
    public static ListenPage Page(IEnumerable<MentionInput> items, DateTimeOffset? since, PassErrors errors)
    {
        var ordered = items.DistinctBy(i => i.ExternalId, StringComparer.Ordinal)
            .OrderBy(i => i.CreatedAt).ThenBy(i => i.ExternalId, StringComparer.Ordinal).ToList();
        var newest = ordered.Count == 0 || ordered[^1].CreatedAt is not { } last || (since is { } s && s > last) ? since : last;
        return new ListenPage(ordered, Format(errors.Broken ? since : newest), errors);
    }

    /// <summary>A backfill page: the items created in [from, to), no checkpoint.</summary>
    public static ListenPage InRange(ListenPage page, DateTimeOffset from, DateTimeOffset to) =>
        new(page.Items.Where(i => i.CreatedAt is not { } at || (at >= from && at < to)).ToList(), null, page.Errors);
}

/// <summary>The errors of one pass: items of the wrong shape, and whether a whole page was malformed or truncated (<see cref="Broken"/>).</summary>
public sealed class PassErrors : List<ItemError>
{
    /// <summary>A page of the pass could not be read whole, so items after the break are unknown.</summary>
    public bool Broken { get; private set; }

    /// <summary>Adds a page's read errors (from <see cref="JsonPages"/>), each prefixed with where the page was.</summary>
    public void AddPage(IReadOnlyList<ItemError> pageErrors, string where)
    {
        Broken |= pageErrors.Count > 0;
        AddRange(pageErrors.Select(e => e with { Position = $"{where}: {e.Position}" }));
    }

    /// <summary>Adds errors that already say where they are; <paramref name="pageBroken"/> when the page itself could not be read whole.</summary>
    public void Add(IEnumerable<ItemError> errors, bool pageBroken)
    {
        Broken |= pageBroken;
        AddRange(errors);
    }
}
