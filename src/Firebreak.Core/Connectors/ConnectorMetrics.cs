namespace Firebreak.Core.Connectors;

using System.Diagnostics.Metrics;
using Firebreak.Core.Diagnostics;

/// <summary>Connector counters on the Firebreak meter (so <c>/metrics</c> exports them): calls by platform and outcome, items by platform.</summary>
public static class ConnectorMetrics
{
    private static readonly Meter Meter = new(FirebreakMetrics.MeterName);

    /// <summary>Listening calls (a page or a failed try) by platform and outcome (ok, failed).</summary>
    public static readonly Counter<long> Calls = Meter.CreateCounter<long>(
        "firebreak.connector.calls", "{call}", "Listening calls by platform and outcome");

    /// <summary>Items received from platforms, by platform.</summary>
    public static readonly Counter<long> Items = Meter.CreateCounter<long>(
        "firebreak.connector.items", "{item}", "Items received from platforms, by platform");
}
