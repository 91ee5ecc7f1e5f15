namespace Firebreak.Core.Connectors.LinkedIn;

using Firebreak.Core.Publishing;

/// <summary>
/// Finds a reply an earlier try already posted (LinkedIn has no idempotency key): reads the comment's own comments,
/// <c>GET /rest/socialActions/{commentUrn}/comments?start=&amp;count=50</c> (Comments API, "comments on comments";
/// elements with <c>actor</c>, <c>created.time</c> in ms, <c>message.text</c>, <c>commentUrn</c>), for the
/// organisation's reply with the same text created since the reply was written (<see cref="ReconciledReply"/>).
/// </summary>
public static class LinkedInReplyReadBack
{
    /// <summary>Pages of 50 read back before concluding the reply is not there.</summary>
    public const int Pages = 10;

    /// <summary>The organisation's earlier reply to the comment with this text; null when surely absent. Throws when it cannot tell.</summary>
    public static async Task<ReplyResult?> FindAsync(ConnectorHttp http, LinkedInOptions options, PlatformAccount account, ReplyRequest reply, CancellationToken cancellationToken)
    {
        if (LinkedInMapper.ActivityOf(reply.InReplyToExternalId) is null)
        {
            return null; // not a comment URN: nothing can have been posted, and the send refuses it with the reason
        }

        var org = LinkedInConnector.OrganizationUrn(account.Handle);
        var since = ReconciledReply.Since(reply).ToUnixTimeMilliseconds();
        for (int start = 0, page = 1; page <= Pages; page++)
        {
            var uri = new Uri(options.ApiBase, $"rest/socialActions/{Uri.EscapeDataString(reply.InReplyToExternalId)}/comments?start={start}&count=50");
            var response = await LinkedInConnector.SendAsync(http, options, () => LinkedInConnector.Request(HttpMethod.Get, uri, account, options), cancellationToken).ConfigureAwait(false);
            JsonItems json;
            using (response.Message)
            {
                json = JsonPages.Read(LinkedInConnector.Name, response.Body, "elements");
            }

            if (json.Errors.Count > 0)
            {
                throw new ConnectorException(LinkedInConnector.Name, FailureKind.Malformed, $"page {page} of the comment's replies could not be read whole ({json.Errors[0].Reason})");
            }

            foreach (var c in json.Items)
            {
                var actor = c.Text("actor") ?? c.Child("created")?.Text("actor");
                if (actor == org && c.Child("created")?.Number("time") >= since && ReconciledReply.SameText(reply.Text, c.Child("message")?.Text("text"))
                    && (c.Text("commentUrn") ?? c.Text("$URN")) is { } urn)
                {
                    return new ReplyResult(urn, null);
                }
            }

            start += json.Items.Count;
            var total = json.Root?.Child("paging")?.Number("total");
            if (json.Items.Count == 0 || total is null || start >= total)
            {
                return null;
            }
        }

        throw new ConnectorException(LinkedInConnector.Name, FailureKind.Transient, $"more than {Pages * 50} replies under {reply.InReplyToExternalId}: cannot tell whether this reply was already posted");
    }
}
