namespace Firebreak.Core.Publishing.Holds;

using Firebreak.Core.Publishing.Outbox;

/// <summary>
/// The holds in force, read straight from the outbox store. Apart from <see cref="PublishHoldService"/> on purpose: the
/// pre-publish check (posts side) reads holds, and the hold service tells the posts side of returned posts, so one class
/// doing both would make the two sides depend on each other (a dependency cycle the container cannot build).
/// </summary>
public sealed class ActiveHolds(IOutboxStore store) : IPublishHolds
{
    public async Task<IReadOnlyList<PublishHold>> ActiveAsync(long workspaceId, CancellationToken cancellationToken) =>
        [.. (await store.ActiveHoldsAsync(workspaceId, cancellationToken).ConfigureAwait(false)).Select(h => h.Hold)];
}
