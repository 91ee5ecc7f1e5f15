using System.CommandLine;
using System.Globalization;
using System.Reflection;
using System.Text.Json;
using Firebreak.Core.Detection.Nab;
using Firebreak.Core.Detection.Series;
using Spectre.Console;

namespace Firebreak.Cli;

/// <summary>
/// `firebreak eval anomalies`: runs the series detector over a folder in the Numenta Anomaly Benchmark layout,
/// writes NAB result files, and prints the NAB score per profile, computed by Firebreak's own scorer
/// (Core/Detection/Nab), so no Python NAB is needed.
/// </summary>
internal static class EvalAnomaliesCommand
{
    private const string DetectorName = "firebreak";

    public static Command Create()
    {
        var data = new Option<DirectoryInfo>("--data", "-d")
        {
            HelpName = "folder",
            Description = "NAB-layout folder: sub-folders of timestamp,value CSV files and combined_windows.json",
            Required = true,
        };
        var output = new Option<DirectoryInfo?>("--out", "-o") { HelpName = "folder", Description = $"Write NAB result files to <out>/{DetectorName}/… (timestamp,value,anomaly_score,label), the per-profile scores and final_results.json" };
        var profile = new Option<string>("--profile") { Description = "all, " + string.Join(", ", NabProfile.All.Select(p => p.Name)), DefaultValueFactory = _ => "all" };
        var kind = new Option<SeriesKind>("--kind") { HelpName = "Values|Counts", Description = "Noise model: Values (any real values) or Counts (non-negative counts per bucket)", DefaultValueFactory = _ => SeriesKind.Values };
        var settings = new Option<string[]>("--set") { Description = "Override a detector setting, Name=value (repeatable); for experiments", Hidden = true, AllowMultipleArgumentsPerToken = false };
        var command = new Command("anomalies", "Score the series detector on a Numenta Anomaly Benchmark folder (NAB's rules, three profiles).")
        {
            data, output, profile, kind, settings,
        };
        command.Options.Add(new System.CommandLine.Help.HelpOption { Action = new Help(command) });
        command.SetAction(result =>
        {
            var profiles = SelectProfiles(result.GetValue(profile)!);
            var options = Configure(SeriesDetectorOptions.Default with { Kind = result.GetValue(kind) }, result.GetValue(settings) ?? []);
            var folder = result.GetValue(data)!;
            var warnings = new List<string>();
            IReadOnlyList<NabSeries> corpus;
            try
            {
                corpus = NabCorpus.Load(folder.FullName, warnings);
            }
            catch (NabFormatException ex)
            {
                throw new CliException(ex.Message);
            }

            foreach (var warning in warnings)
            {
                Console.Error.WriteLine("warning: " + warning);
            }

            var results = Detect(corpus, new SeriesDetector(options));
            var outDir = result.GetValue(output)?.FullName;
            if (outDir is not null)
            {
                foreach (var (series, scores) in results)
                {
                    NabRun.WriteResult(outDir, DetectorName, series, scores);
                }
            }

            Console.WriteLine($"{corpus.Count} files, {corpus.Sum(s => s.Count):N0} rows, {corpus.Sum(s => s.Windows.Count)} labelled windows; detector '{DetectorName}' ({options.Kind}).");
            Console.WriteLine();
            Console.WriteLine("profile             |  score | threshold |    raw | null | perfect | windows found | missed | FP rows");
            var final = new Dictionary<string, double>();
            foreach (var p in profiles)
            {
                var score = NabScorer.Score(results, p);
                final[p.Name] = score.Normalised;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{p.Name,-19} | {score.Normalised,6:F2} | {score.Threshold,9:F5} | {score.RawScore,6:F2} | {score.NullScore,4:F0} | {score.PerfectScore,7:F0} | {score.WindowsDetected,13} | {score.WindowsMissed,6} | {score.FalsePositiveRows,7}"));
                if (outDir is not null)
                {
                    NabRun.WriteScores(outDir, DetectorName, score);
                }
            }

            if (outDir is not null)
            {
                var path = Path.Combine(outDir, "final_results.json");
                File.WriteAllText(path, JsonSerializer.Serialize(new Dictionary<string, Dictionary<string, double>> { [DetectorName] = final }, new JsonSerializerOptions { WriteIndented = true }));
                Console.WriteLine();
                Console.WriteLine($"Results: {Path.Combine(outDir, DetectorName)}; final scores: {path}");
            }

            return 0;
        });
        return command;
    }

    /// <summary>
    /// Help written from the command's own options: the default help would list the text `eval`'s arguments in
    /// the usage line and the store's recursive --data beside this --data, both wrong here.
    /// </summary>
    private sealed class Help(Command command) : System.CommandLine.Invocation.SynchronousCommandLineAction
    {
        public override int Invoke(ParseResult parseResult)
        {
            var options = command.Options.Where(o => !o.Hidden && o is not System.CommandLine.Help.HelpOption).ToList();
            var output = parseResult.InvocationConfiguration.Output;
            output.WriteLine("Description:");
            output.WriteLine("  " + command.Description);
            output.WriteLine();
            output.WriteLine("Usage:");
            output.WriteLine("  firebreak eval anomalies " + string.Join(' ', options.Select(o => o.Required ? $"{o.Name} <{o.HelpName ?? o.Name.TrimStart('-')}>" : $"[{o.Name} <{o.HelpName ?? o.Name.TrimStart('-')}>]")));
            output.WriteLine();
            output.WriteLine("Options:");
            var rows = options
                .Select(o => (Name: string.Join(", ", o.Aliases.Order().Append(o.Name)) + $" <{o.HelpName ?? o.Name.TrimStart('-')}>", Description: o.Description + (o.HasDefaultValue ? $" [default: {o.GetDefaultValue()}]" : "")))
                .Append((Name: "-?, -h, --help", Description: "Show help and usage information"))
                .ToList();
            var width = rows.Max(r => r.Name.Length) + 2;
            foreach (var (name, description) in rows)
            {
                output.WriteLine("  " + name.PadRight(width) + description);
            }

            return 0;
        }
    }

    private static IReadOnlyList<NabProfile> SelectProfiles(string name) =>
        name.Equals("all", StringComparison.OrdinalIgnoreCase) ? NabProfile.All
        : NabProfile.Find(name) is { } one ? [one]
        : throw new CliException($"Unknown profile '{name}'; use all, {string.Join(", ", NabProfile.All.Select(p => p.Name))}.");

    /// <summary>Runs every file through the detector, with a progress bar on stderr (stdout keeps only the figures).</summary>
    private static List<(NabSeries Series, IReadOnlyList<double> Scores)> Detect(IReadOnlyList<NabSeries> corpus, SeriesDetector detector)
    {
        var results = new List<(NabSeries, IReadOnlyList<double>)>(corpus.Count);
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        console.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .Start(progress =>
            {
                var task = progress.AddTask("Detecting", maxValue: corpus.Sum(s => s.Count));
                foreach (var series in corpus)
                {
                    task.Description = series.RelativePath;
                    results.Add((series, NabRun.Detect(series, detector)));
                    task.Increment(series.Count);
                }
            });
        return results;
    }

    /// <summary>Applies Name=value overrides to the detector settings (experiments; the defaults are what ships).</summary>
    private static SeriesDetectorOptions Configure(SeriesDetectorOptions options, string[] settings)
    {
        var copy = options with { };
        foreach (var setting in settings)
        {
            var parts = setting.Split('=', 2);
            var property = typeof(SeriesDetectorOptions).GetProperty(parts[0].Trim(), BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
            if (parts.Length != 2 || property is null || !property.CanWrite)
            {
                var names = typeof(SeriesDetectorOptions).GetProperties().Where(p => p.CanWrite).Select(p => p.Name);
                throw new CliException($"--set '{setting}': expected Name=value with Name one of {string.Join(", ", names)}.");
            }

            try
            {
                var value = property.PropertyType.IsEnum
                    ? Enum.Parse(property.PropertyType, parts[1].Trim(), ignoreCase: true)
                    : Convert.ChangeType(parts[1].Trim(), property.PropertyType, CultureInfo.InvariantCulture);
                property.SetValue(copy, value);
            }
            catch (Exception ex) when (ex is FormatException or ArgumentException or InvalidCastException or OverflowException)
            {
                throw new CliException($"--set '{setting}': '{parts[1]}' is not a {property.PropertyType.Name}.");
            }
        }

        return copy;
    }
}
