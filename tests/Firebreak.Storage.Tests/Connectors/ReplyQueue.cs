namespace Firebreak.Storage.Tests.Connectors;

using Firebreak.Core.Inbox;
using Firebreak.Core.Incidents;
using Firebreak.Core.Ingestion;
using Firebreak.Core.Mentions;
using Firebreak.Storage.Inbox;
using Microsoft.Extensions.DependencyInjection;

/// <summary>A stored mention, an incident and a queued inbox reply to it: what the reply dispatcher works on.</summary>
internal static class ReplyQueue
{
    public static InboxStore Inbox(this ConnectorRig rig) => new(rig.Store.Services.GetRequiredService<PortableDatabase>());

    public static async Task<(long MentionId, OutboxReply Reply)> QueueReplyAsync(this ConnectorRig rig, Platform platform, string externalId, string author, string text = "Sorry — we are on it.")
    {
        await rig.Store.IngestAsync(rig.WorkspaceId, new MentionInput { Platform = platform.ToWire(), ExternalId = externalId, Text = "where is my refund", Author = new AuthorInput { Handle = author }, CreatedAt = TestStore.Now });
        var mentionId = await rig.Store.ScalarAsync("SELECT id FROM mentions WHERE external_id = $e", ("$e", externalId));
        var incident = await rig.Store.Services.GetRequiredService<IIncidentStore>().CreateAsync(
            new Incident { WorkspaceId = rig.WorkspaceId, Title = "Refund storm", Severity = IncidentSeverity.Sev2, DeclaredAt = TestStore.Now, UpdatedAt = TestStore.Now },
            [],
            CancellationToken.None);
        var reply = await rig.Inbox().AddReplyAsync(
            new OutboxReply { WorkspaceId = rig.WorkspaceId, IncidentId = incident.Id, MentionId = mentionId, Platform = platform, Text = text, State = ReplyState.Queued, CreatedAt = TestStore.Now, UpdatedAt = TestStore.Now },
            new TimelineDraft(TestStore.Now, IncidentActor.System, TimelineKind.Reply, "queued"),
            CancellationToken.None);
        return (mentionId, reply);
    }
}
