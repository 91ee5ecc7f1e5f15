namespace Firebreak.Core.Connectors;

using System.Text.Json.Nodes;
using Firebreak.Core.Inbox;
using Firebreak.Core.Incidents;
using Firebreak.Core.Mentions;

/// <summary>
/// Sends the inbox's queued replies through the platform's <see cref="IReplySender"/> with the workspace's owned account
/// on that platform. A reply moves Queued → Sent (the platform's id kept) or Queued → Failed with the platform's error,
/// which the inbox shows and a person can retry. The state change is the inbox store's optimistic update, so two
/// dispatchers never both report one reply; the platform-side idempotency (Mastodon's Idempotency-Key, Bluesky's fixed
/// record key) covers a crash between sending and recording, and on TikTok and LinkedIn, which have no key, the senders
/// read the comment's replies back before every send (<see cref="ReconciledReply"/>).
/// </summary>
public sealed class ReplyDispatcher(
    IEnumerable<IReplySender> senders,
    IConnectorStore store,
    IInboxStore inbox,
    IMentionReader mentions,
    ConnectionService connections,
    TimeProvider clock)
{
    private readonly Dictionary<Platform, IReplySender> byPlatform = senders.ToDictionary(s => s.Platform);

    /// <summary>Sends up to <paramref name="limit"/> queued replies; returns how many were settled (sent or failed).</summary>
    public async Task<int> SendQueuedAsync(int limit, CancellationToken cancellationToken)
    {
        var settled = 0;
        foreach (var (workspaceId, replyId) in await store.ListQueuedRepliesAsync(limit, cancellationToken).ConfigureAwait(false))
        {
            if (await inbox.GetReplyAsync(workspaceId, replyId, cancellationToken).ConfigureAwait(false) is not { State: ReplyState.Queued } reply)
            {
                continue;
            }

            if (!byPlatform.TryGetValue(reply.Platform, out var sender))
            {
                // No connector sends on this platform yet: it waits in the queue, as before connectors existed.
                continue;
            }

            settled += await SendAsync(sender, reply, cancellationToken).ConfigureAwait(false) ? 1 : 0;
        }

        return settled;
    }

    private async Task<bool> SendAsync(IReplySender sender, OutboxReply reply, CancellationToken cancellationToken)
    {
        var accounts = await connections.ListAsync(reply.WorkspaceId, cancellationToken).ConfigureAwait(false);
        var account = accounts.FirstOrDefault(a => a.Platform == reply.Platform);
        var mention = await mentions.GetAsync(reply.WorkspaceId, reply.MentionId, cancellationToken).ConfigureAwait(false);
        string? error = null;
        ReplyResult? result = null;
        if (account is null)
        {
            error = $"No {reply.Platform} account is connected in this workspace (or its credential was revoked): connect one under Connections, then retry.";
        }
        else if (mention is null)
        {
            error = "The mention this reply answers is no longer stored.";
        }
        else
        {
            try
            {
                result = await sender.SendAsync(account, new ReplyRequest(reply.WorkspaceId, reply.Id, mention.ExternalId, mention.Author.Handle, reply.Text, reply.CreatedAt), cancellationToken).ConfigureAwait(false);
            }
            catch (ConnectorException e)
            {
                error = e.Message;
                if (e.Kind == FailureKind.Revoked && (await connections.ListConnectionsAsync(reply.WorkspaceId, cancellationToken).ConfigureAwait(false)).FirstOrDefault(c => c.AccountKey == account.AccountKey) is { } connection)
                {
                    await connections.RevokedAsync(connection, e.Message, cancellationToken).ConfigureAwait(false);
                }
            }
        }

        var now = clock.GetUtcNow();
        if (result is not null)
        {
            await store.RecordReplySentAsync(reply.WorkspaceId, reply.Id, result.RemoteId, result.RemoteUrl, now, cancellationToken).ConfigureAwait(false);
        }

        var next = reply with { State = result is null ? ReplyState.Failed : ReplyState.Sent, Error = error, Attempts = reply.Attempts + 1, UpdatedAt = now };
        var text = result is null ? $"Reply {reply.Id} failed on {reply.Platform}: {error}" : $"Reply {reply.Id} sent on {reply.Platform} ({result.RemoteUrl ?? result.RemoteId})";
        var data = new JsonObject { ["action"] = result is null ? "failed" : "sent", ["replyId"] = reply.Id, ["mentionId"] = reply.MentionId, ["remoteId"] = result?.RemoteId, ["error"] = error };
        var saved = await inbox.UpdateReplyAsync(next, ReplyState.Queued, new TimelineDraft(now, IncidentActor.System, TimelineKind.Reply, text, data.ToJsonString()), cancellationToken).ConfigureAwait(false);
        return saved is not null;
    }
}
