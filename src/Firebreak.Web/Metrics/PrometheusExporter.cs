namespace Firebreak.Web.Metrics;

using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;
using Firebreak.Core.Diagnostics;

/// <summary>
/// Collects the process's .NET meters (Firebreak's own, ASP.NET Core's, the runtime's) with a
/// <see cref="MeterListener"/> and renders them in the Prometheus text exposition format (version 0.0.4),
/// so a team scrapes <c>/metrics</c> with what it already runs. Aggregation happens as measurements arrive
/// (a sum, a last value or histogram buckets per label set); a scrape only formats.
/// </summary>
public sealed class PrometheusExporter : IDisposable
{
    /// <summary>Meters exported: ours, HTTP server and Kestrel, and the runtime (GC, CPU, memory, thread pool).</summary>
    private static readonly string[] DefaultMeters =
        [FirebreakMetrics.MeterName, "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "System.Runtime"];

    /// <summary>Seconds buckets when an instrument gives no advice (those ASP.NET Core uses for request time).</summary>
    private static readonly double[] DefaultBuckets = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];

    private readonly MeterListener listener = new();
    private readonly Dictionary<Instrument, InstrumentSeries> series = [];
    private readonly Lock gate = new();
    private readonly string[] meters;

    /// <param name="hostMeters">The host's meter factory: ASP.NET Core's meters are made per host by it, and a process
    /// running several hosts (tests, or an embedded host) must not export another host's requests as its own.</param>
    public PrometheusExporter(IMeterFactory? hostMeters = null)
        : this(DefaultMeters, hostMeters)
    {
    }

    /// <summary>Exports only the named meters (tests use their own).</summary>
    public PrometheusExporter(IEnumerable<string> meterNames, IMeterFactory? hostMeters = null)
    {
        meters = [.. meterNames];
        listener.InstrumentPublished = (instrument, l) =>
        {
            // A meter scoped to a factory belongs to that factory's host; unscoped ones (ours, the runtime's) are the process's.
            if (Array.IndexOf(meters, instrument.Meter.Name) < 0
                || (hostMeters is not null && instrument.Meter.Scope is { } scope && !ReferenceEquals(scope, hostMeters)))
            {
                return;
            }

            var state = new InstrumentSeries(instrument, BucketsFor(instrument));
            lock (gate)
            {
                series[instrument] = state;
            }

            l.EnableMeasurementEvents(instrument, state);
        };
        listener.MeasurementsCompleted = (instrument, _) =>
        {
            lock (gate)
            {
                series.Remove(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, state) => ((InstrumentSeries)state!).Record(value, tags));
        listener.SetMeasurementEventCallback<int>((_, value, tags, state) => ((InstrumentSeries)state!).Record(value, tags));
        listener.SetMeasurementEventCallback<double>((_, value, tags, state) => ((InstrumentSeries)state!).Record(value, tags));
        listener.SetMeasurementEventCallback<float>((_, value, tags, state) => ((InstrumentSeries)state!).Record(value, tags));
        listener.Start();
    }

    /// <summary>The exposition text: reads observable instruments now, then writes every family.</summary>
    public string Render()
    {
        listener.RecordObservableInstruments();
        InstrumentSeries[] families;
        lock (gate)
        {
            families = [.. series.Values];
        }

        var text = new StringBuilder(16 * 1024);
        var written = new HashSet<string>(StringComparer.Ordinal);
        foreach (var family in families.OrderBy(f => f.Name, StringComparer.Ordinal))
        {
            // Two instruments may map to one Prometheus name (each host in a process has its own ASP.NET Core
            // meters); the first that has values wins, an empty one must not hide the rest.
            if (!written.Contains(family.Name) && family.WriteTo(text))
            {
                written.Add(family.Name);
            }
        }

        return text.ToString();
    }

    public void Dispose() => listener.Dispose();

    private static double[]? BucketsFor(Instrument instrument) => instrument switch
    {
        Histogram<double> { Advice.HistogramBucketBoundaries: { Count: > 0 } advised } => [.. advised],
        Histogram<long> { Advice.HistogramBucketBoundaries: { Count: > 0 } advised } => [.. advised.Select(b => (double)b)],
        Histogram<int> { Advice.HistogramBucketBoundaries: { Count: > 0 } advised } => [.. advised.Select(b => (double)b)],
        Histogram<double> or Histogram<long> or Histogram<int> or Histogram<float> => DefaultBuckets,
        _ => null,
    };

    /// <summary>
    /// One instrument's values per label set. Counters and up-down counters add; observable instruments report
    /// their current value (a cumulative total for an observable counter), so they replace.
    /// </summary>
    private sealed class InstrumentSeries(Instrument instrument, double[]? buckets)
    {
        private readonly Dictionary<string, Point> points = new(StringComparer.Ordinal);
        private readonly bool replaces = instrument.IsObservable;
        private readonly string type = buckets is not null ? "histogram" : IsCounter(instrument) ? "counter" : "gauge";

        public string Name { get; } = PrometheusName(instrument, buckets is null && IsCounter(instrument));

        public void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            var labels = Labels(tags);
            lock (points)
            {
                if (!points.TryGetValue(labels, out var point))
                {
                    points[labels] = point = new Point(buckets?.Length ?? 0);
                }

                if (buckets is not null)
                {
                    point.Observe(value, buckets);
                }
                else if (replaces)
                {
                    point.Value = value;
                }
                else
                {
                    point.Value += value;
                }
            }
        }

        /// <summary>Writes the family; false when it has no values yet (nothing written).</summary>
        public bool WriteTo(StringBuilder text)
        {
            lock (points)
            {
                if (points.Count == 0)
                {
                    return false;
                }

                text.Append("# HELP ").Append(Name).Append(' ').Append(EscapeHelp(instrument.Description ?? instrument.Name)).Append('\n');
                text.Append("# TYPE ").Append(Name).Append(' ').Append(type).Append('\n');
                foreach (var (labels, point) in points.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    if (buckets is null)
                    {
                        Line(text, Name, labels, null, point.Value);
                        continue;
                    }

                    long cumulative = 0;
                    for (var i = 0; i < buckets.Length; i++)
                    {
                        cumulative += point.Buckets[i];
                        Line(text, Name + "_bucket", labels, Number(buckets[i]), cumulative);
                    }

                    Line(text, Name + "_bucket", labels, "+Inf", point.Count);
                    Line(text, Name + "_sum", labels, null, point.Value);
                    Line(text, Name + "_count", labels, null, point.Count);
                }

                return true;
            }
        }

        private static void Line(StringBuilder text, string name, string labels, string? le, double value)
        {
            text.Append(name);
            if (labels.Length > 0 || le is not null)
            {
                text.Append('{').Append(labels);
                if (le is not null)
                {
                    text.Append(labels.Length > 0 ? "," : string.Empty).Append("le=\"").Append(le).Append('"');
                }

                text.Append('}');
            }

            text.Append(' ').Append(Number(value)).Append('\n');
        }

        private static string Labels(ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            if (tags.IsEmpty)
            {
                return string.Empty;
            }

            var sorted = tags.ToArray();
            Array.Sort(sorted, (a, b) => string.CompareOrdinal(a.Key, b.Key));
            var text = new StringBuilder();
            foreach (var (key, value) in sorted)
            {
                if (text.Length > 0)
                {
                    text.Append(',');
                }

                text.Append(Sanitise(key)).Append("=\"").Append(EscapeLabel(Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty)).Append('"');
            }

            return text.ToString();
        }

        private static bool IsCounter(Instrument instrument) =>
            instrument is Counter<long> or Counter<int> or Counter<double> or Counter<float>
                or ObservableCounter<long> or ObservableCounter<int> or ObservableCounter<double> or ObservableCounter<float>;
    }

    private sealed class Point(int buckets)
    {
        public double Value;
        public long Count;
        public readonly long[] Buckets = new long[buckets];

        public void Observe(double value, double[] bounds)
        {
            Value += value;
            Count++;
            var i = 0;
            while (i < bounds.Length && value > bounds[i])
            {
                i++;
            }

            if (i < bounds.Length)
            {
                Buckets[i]++;
            }
        }
    }

    /// <summary>OpenTelemetry name to Prometheus: dots to underscores, the unit as a suffix, counters end in _total.</summary>
    internal static string PrometheusName(Instrument instrument, bool counter)
    {
        var name = Sanitise(instrument.Name);
        var unit = instrument.Unit switch
        {
            "s" => "seconds",
            "ms" => "milliseconds",
            "By" => "bytes",
            _ => null, // "{request}" and the like are annotations, not units
        };
        if (unit is not null && !name.EndsWith("_" + unit, StringComparison.Ordinal))
        {
            name += "_" + unit;
        }

        return counter && !name.EndsWith("_total", StringComparison.Ordinal) ? name + "_total" : name;
    }

    private static string Sanitise(string name)
    {
        var chars = name.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            var c = chars[i];
            if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or ':') || (i == 0 && char.IsAsciiDigit(c)))
            {
                chars[i] = '_';
            }
        }

        return new string(chars);
    }

    private static string EscapeLabel(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    private static string EscapeHelp(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    private static string Number(double value) => value switch
    {
        double.PositiveInfinity => "+Inf",
        double.NegativeInfinity => "-Inf",
        _ when double.IsNaN(value) => "NaN",
        _ => value.ToString("R", CultureInfo.InvariantCulture),
    };
}
