namespace Firebreak.Core.Connectors;

using Firebreak.Core.Ingestion;
using Firebreak.Core.Mentions;
using Firebreak.Core.Publishing;
using Firebreak.Core.Workspaces;

/// <summary>What a connector is asked to listen to: the source, the owned account whose credential it may use, and where it left off.</summary>
/// <param name="Account">The owned account (decrypted credential) for the source's platform, if the workspace connected one.</param>
/// <param name="Checkpoint">The opaque checkpoint of the last committed page; null to start from now (or the platform's recent window).</param>
public sealed record ListenRequest(Source Source, PlatformAccount? Account, string? Checkpoint);

/// <summary>
/// One page of listening: items to ingest and the checkpoint to store once they are committed. The runner stores the
/// checkpoint only after the pipeline acknowledged the page, so a crash between the two repeats the page (harmless:
/// the store is idempotent on (workspace, platform, external id)) and never skips it.
/// </summary>
/// <param name="Errors">Items that could not be read, each with its position; the valid items beside them are in <see cref="Items"/>.</param>
public sealed record ListenPage(IReadOnlyList<MentionInput> Items, string? Checkpoint, IReadOnlyList<ItemError> Errors)
{
    public static ListenPage Empty(string? checkpoint) => new([], checkpoint, []);
}

/// <summary>
/// The connector seam: one implementation per platform (Connectors/&lt;Platform&gt;/). Polling connectors return the pages
/// available now and finish (the runner calls again after its poll interval); streaming connectors keep yielding until
/// cancelled or the stream drops (they throw a <see cref="ConnectorException"/> with <see cref="FailureKind.Transient"/>;
/// the runner reconnects from the last stored checkpoint and the connector fills the gap).
/// </summary>
public interface IListeningConnector
{
    Platform Platform { get; }

    /// <summary>True when <see cref="ListenAsync"/> keeps a stream open for <paramref name="source"/> instead of returning after one poll.</summary>
    bool Streams(Source source);

    /// <summary>Whether this connector can listen to <paramref name="source"/> (kind and target), with a reason when not.</summary>
    string? Unsupported(Source source);

    IAsyncEnumerable<ListenPage> ListenAsync(ListenRequest request, CancellationToken cancellationToken);

    /// <summary>Items created in [<paramref name="from"/>, <paramref name="to"/>), oldest pages first where the platform allows.</summary>
    IAsyncEnumerable<ListenPage> BackfillAsync(ListenRequest request, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken);
}

/// <summary>A reply from the inbox, to send as a reply to <see cref="InReplyToExternalId"/> on the platform.</summary>
/// <param name="InReplyToAuthor">The handle of the mention's author (Mastodon only notifies people named in the text).</param>
/// <param name="CreatedAt">When the reply was written: fixes the record key where the platform lets the client choose it (Bluesky), so a retry cannot post twice.</param>
public sealed record ReplyRequest(long WorkspaceId, long ReplyId, string InReplyToExternalId, string? InReplyToAuthor, string Text, DateTimeOffset CreatedAt)
{
    /// <summary>Stable per reply: a retried send carries the same key, and platforms that honour it post once.</summary>
    public string IdempotencyKey => $"firebreak-{WorkspaceId}-reply-{ReplyId}";
}

/// <summary>What the platform answered to a sent reply.</summary>
public sealed record ReplyResult(string RemoteId, string? RemoteUrl);

/// <summary>Sends inbox replies on one platform with an owned account's credential.</summary>
public interface IReplySender
{
    Platform Platform { get; }

    /// <summary>Sends the reply; throws <see cref="ConnectorException"/> with the platform's error when it refuses.</summary>
    Task<ReplyResult> SendAsync(PlatformAccount account, ReplyRequest reply, CancellationToken cancellationToken);
}
