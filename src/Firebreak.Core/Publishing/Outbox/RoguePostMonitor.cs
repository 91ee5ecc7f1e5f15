namespace Firebreak.Core.Publishing.Outbox;

using Firebreak.Core.Alerts;
using Firebreak.Core.Detection;
using Firebreak.Core.Publishing.Platforms;

/// <summary>
/// The rogue-post alarm: reads back each owned account and raises a Critical alert (suggesting the hacked-account
/// playbook) for every post that did not come through the outbox and that nobody marked "posted by us elsewhere".
/// A checkpoint per account (the newest post seen) is saved after the alerts are queued, so a restart neither misses
/// a post nor alerts twice (an alert's episode is the post itself, so a repeat only grows the same alert).
/// The first read of an account sets the checkpoint without alerting: what was there before Firebreak watched is not evidence.
/// </summary>
public sealed class RoguePostMonitor(IOutboxStore store, IEnumerable<IPlatformAccounts> accounts, IEnumerable<IPlatformPublisher> publishers, IAlertSink alerts, TimeProvider clock)
{
    public const string Playbook = "hacked-account";
    public const int MaxQuotedChars = 280;

    private readonly IPlatformAccounts? accountSource = accounts.FirstOrDefault();
    private readonly Dictionary<Mentions.Platform, IPlatformPublisher> byPlatform = publishers.ToDictionary(p => p.Platform);

    /// <summary>Reads back the workspace's accounts once; returns the alerts raised. An account that cannot be read is skipped (and tried next time).</summary>
    public async Task<IReadOnlyList<Detection>> ScanAsync(long workspaceId, CancellationToken cancellationToken)
    {
        if (accountSource is null)
        {
            return [];
        }

        var raised = new List<Detection>();
        foreach (var account in await accountSource.ListAsync(workspaceId, cancellationToken).ConfigureAwait(false))
        {
            if (!byPlatform.TryGetValue(account.Platform, out var publisher))
            {
                continue;
            }

            var checkpoint = await store.CheckpointAsync(workspaceId, account.AccountKey, cancellationToken).ConfigureAwait(false);
            ReadBack page;
            try
            {
                page = await publisher.ReadBackAsync(account, checkpoint, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is PlatformUnavailableException or HttpRequestException)
            {
                continue;
            }

            if (checkpoint is not null && page.Posts.Count > 0)
            {
                var ours = await store.OursAsync(workspaceId, account.Platform, account.AccountKey, page.Posts, cancellationToken).ConfigureAwait(false);
                var now = clock.GetUtcNow();
                var rogue = page.Posts.Where(p => !ours.Contains(p.RemoteId)).Select(p => Alarm(workspaceId, account, p, now)).ToList();
                if (rogue.Count > 0)
                {
                    await alerts.SubmitAsync(rogue, cancellationToken).ConfigureAwait(false);
                    raised.AddRange(rogue);
                }
            }

            if (page.Checkpoint is { } next && next != checkpoint)
            {
                await store.SetCheckpointAsync(workspaceId, account.AccountKey, next, clock.GetUtcNow(), cancellationToken).ConfigureAwait(false);
            }
        }

        return raised;
    }

    private static Detection Alarm(long workspaceId, PlatformAccount account, RemotePost post, DateTimeOffset now)
    {
        var text = post.Text.Length <= MaxQuotedChars ? post.Text : post.Text[..MaxQuotedChars] + "…";
        return new Detection(workspaceId, 0, DetectionSignal.RoguePost, $"post:{account.Platform}:{post.RemoteId}", post.CreatedAt ?? now, now, DetectionSeverity.Critical, 1, 1, 0,
            $"A post on {account.Platform} account {account.Handle} did not come through Firebreak's approved outbox: \"{text}\" {post.Url}. "
            + $"If nobody on the team posted it, follow the '{Playbook}' playbook now (secure the account, then delete or address the post); "
            + "if it was posted by the team elsewhere, mark it as ours.",
            [], []);
    }
}
