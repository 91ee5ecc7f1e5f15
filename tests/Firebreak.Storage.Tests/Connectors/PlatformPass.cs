namespace Firebreak.Storage.Tests.Connectors;

using Firebreak.Core.Connectors;
using Firebreak.Core.Mentions;
using Firebreak.Core.Workspaces;

/// <summary>Runs the real runner with one adapter that <see cref="ConnectorRig.Runner"/> does not list (X, Reddit, YouTube), over the rig's store and pipeline.</summary>
internal static class PlatformPass
{
    public static ConnectorRunner RunnerWith(this ConnectorRig rig, IListeningConnector connector) =>
        new([connector], rig.Connectors, rig.Connections, rig.Store.Pipeline, rig.RunnerOptions, TimeProvider.System);

    public static Task<ListenReport> PassWithAsync(this ConnectorRig rig, IListeningConnector connector, Source source) =>
        rig.RunnerWith(connector).PassAsync(source, connector, rig.Health(source), CancellationToken.None);

    public static Task<string?> CheckpointAsync(this ConnectorRig rig, Source source) =>
        rig.Connectors.GetCheckpointAsync(rig.WorkspaceId, source.Id, CancellationToken.None);

    public static async Task<ConnectionState> ConnectionStateAsync(this ConnectorRig rig) =>
        (await rig.Connections.ListConnectionsAsync(rig.WorkspaceId, CancellationToken.None)).Single().State;
}
