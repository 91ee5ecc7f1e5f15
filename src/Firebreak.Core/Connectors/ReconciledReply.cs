namespace Firebreak.Core.Connectors;

using Firebreak.Core.Publishing.Platforms;

/// <summary>
/// Sends a reply at most once on platforms that take no idempotency key (X, Reddit, YouTube, TikTok, LinkedIn,
/// Facebook, Instagram). The danger is a send the
/// platform accepted whose outcome was never recorded: the answer was lost (timeout, dropped connection, a 5xx after
/// the write) or the process died between the call and the dispatcher's record. Both end in another send of the same
/// reply, so every send is preceded by a read-back of the comment's replies: our account's reply with the same text
/// (whitespace-normalised), created since the reply was written, means it is already there and is returned instead.
/// Inside one send, <see cref="ConnectorHttp"/> (and Graph's client) never resend a POST after a 5xx or a lost answer:
/// they throw an <see cref="ConnectorException.Uncertain"/> failure, and the read-back runs before the next send.
/// </summary>
public static class ReconciledReply
{
    /// <summary>Platforms stamp replies with their own clock (TikTok to the second): a reply up to this much before ours was written still counts.</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(2);

    /// <summary>Read-back-then-send rounds before giving up with "the outcome is unknown".</summary>
    public const int MaxSends = 3;

    /// <summary>The earliest creation time an earlier attempt's reply can have.</summary>
    public static DateTimeOffset Since(ReplyRequest reply) => reply.CreatedAt - ClockSkew;

    /// <summary>Whether a read-back text is the reply's text (whitespace runs collapsed, NFC): platforms trim and re-space.</summary>
    public static bool SameText(string sent, string? found) =>
        found is not null && string.Equals(PostText.Normalise(sent), PostText.Normalise(found), StringComparison.Ordinal);

    /// <param name="find">Reads back the comment's replies; null when ours is surely not there. Throws when it cannot tell.</param>
    /// <param name="post">Sends once (through <see cref="ConnectorHttp"/> or Graph's client, which do not repeat an unanswered POST).</param>
    public static async Task<ReplyResult> SendOnceAsync(string connector, Func<CancellationToken, Task<ReplyResult?>> find, Func<CancellationToken, Task<ReplyResult>> post, CancellationToken cancellationToken)
    {
        for (var send = 1; ; send++)
        {
            ReplyResult? found;
            try
            {
                found = await find(cancellationToken).ConfigureAwait(false);
            }
            catch (ConnectorException e) when (e.Kind != FailureKind.Revoked)
            {
                throw new ConnectorException(connector, e.Kind, $"could not check whether an earlier try already posted this reply, so it was not sent (retry it): {e.Message}", e.Status, e);
            }

            if (found is not null)
            {
                return found;
            }

            try
            {
                return await post(cancellationToken).ConfigureAwait(false);
            }
            catch (ConnectorException e) when (e.Uncertain && send < MaxSends)
            {
                // The try got no clear answer (timeout, dropped connection, 5xx): it may have posted; read back again first.
            }
            catch (ConnectorException e) when (e.Uncertain)
            {
                throw new ConnectorException(connector, FailureKind.Transient, $"no clear answer after {send} sends and the reply is not visible on the platform yet; check the comment there before retrying", null, e);
            }
        }
    }
}
