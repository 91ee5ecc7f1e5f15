namespace Firebreak.Core.Connectors;

using System.Globalization;
using Firebreak.Core.Ingestion;

/// <summary>
/// The checkpoint of polling connectors that read "everything created since" (comments on owned posts, board pins):
/// the newest creation time committed, in Unix milliseconds. Each pass reads back to it inclusively, so an item created
/// in the same millisecond is read again (the idempotent store absorbs the repeat) and none is missed. The items of a
/// pass come as one page, oldest first; when any page of the pass was broken, the old checkpoint is kept, because the
/// break may have hidden older items that the next pass must read again.
/// </summary>
public static class TimeCheckpoint
{
    public static DateTimeOffset? Parse(string? checkpoint) =>
        long.TryParse(checkpoint, NumberStyles.None, CultureInfo.InvariantCulture, out var ms) ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;

    public static string? Format(DateTimeOffset? at) => at?.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);

    /// <summary>One page of the pass's items (deduplicated by external id, oldest first) with the checkpoint that covers them.</summary>
    public static ListenPage Page(IEnumerable<MentionInput> items, DateTimeOffset? since, IReadOnlyList<ItemError> errors)
    {
        var ordered = items.DistinctBy(i => i.ExternalId, StringComparer.Ordinal)
            .OrderBy(i => i.CreatedAt).ThenBy(i => i.ExternalId, StringComparer.Ordinal).ToList();
        var newest = ordered.Count == 0 || ordered[^1].CreatedAt is not { } last || (since is { } s && s > last) ? since : last;
        return new ListenPage(ordered, Format(errors.Count > 0 ? since : newest), errors);
    }

    /// <summary>A backfill page: the items created in [from, to), no checkpoint.</summary>
    public static ListenPage InRange(ListenPage page, DateTimeOffset from, DateTimeOffset to) =>
        new(page.Items.Where(i => i.CreatedAt is not { } at || (at >= from && at < to)).ToList(), null, page.Errors);
}
