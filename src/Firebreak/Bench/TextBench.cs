namespace Firebreak.Cli;

using System.CommandLine;
using System.Diagnostics;
using Firebreak.Core.Ingestion;
using Firebreak.Core.Mentions;
using Firebreak.Core.RiskCues;
using Firebreak.Core.Scenarios;
using Firebreak.Text.Analysis;

/// <summary>`firebreak bench text`: language id + four classifiers + risk cues on one core.</summary>
internal static class TextBench
{
    public static Command Create()
    {
        var texts = new Option<int>("--texts") { Description = "Texts to analyse per measured pass", DefaultValueFactory = _ => 100_000 };
        var command = new Command("text", "Text analysis throughput on one core, allocation per text, model load time.") { texts };
        command.SetAction(async (result, ct) =>
        {
            var load = Stopwatch.StartNew();
            var models = TextModels.LoadDefault();
            load.Stop();
            Console.WriteLine($"Model load: {load.Elapsed.TotalMilliseconds:N0} ms (language id + sentiment + offensive + hate + emotion).");

            var count = result.GetValue(texts);
            var mentions = Sample(count);
            var cues = new RiskCueAnalyser(new RiskCueMatcher(new DefaultsOnly()));
            var analyser = new TextAnalyser(new WorkspaceModels(new WorkspaceModelOptions(), models), cues);
            await analyser.PrepareAsync(1, ct);

            // Warm up, then measure on this thread only: the figure is per core.
            analyser.Analyse(mentions.AsSpan(0, Math.Min(2_000, mentions.Length)));
            var allocated = GC.GetAllocatedBytesForCurrentThread();
            var clock = Stopwatch.StartNew();
            analyser.Analyse(mentions);
            clock.Stop();
            allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;
            Console.WriteLine($"Language id + 4 classifiers + risk cues: {mentions.Length / clock.Elapsed.TotalSeconds:N0} texts/s on one core; "
                + $"{allocated / (double)mentions.Length:N0} bytes allocated per text (the stored analysis record and cue list included).");

            var languages = mentions.GroupBy(m => m.Analysis.DetectedLanguage ?? "und").OrderByDescending(g => g.Count()).Take(12).Select(g => $"{g.Key} {g.Count() * 100.0 / mentions.Length:N1}%");
            Console.WriteLine("Detected languages in the sample: " + string.Join(", ", languages));
            return 0;
        });
        return command;
    }

    /// <summary>Typical social texts: the scenario stream (10 languages, emoji, hashtags, URLs).</summary>
    private static Mention[] Sample(int count)
    {
        var generator = new ScenarioGenerator(new ScenarioOptions { Start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), Duration = TimeSpan.FromDays(30), BaseRatePerMinute = 60 });
        var normaliser = new MentionNormaliser(new FixedTime(new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero)));
        var mentions = new List<Mention>(count);
        while (mentions.Count < count && generator.TryNext(out var input))
        {
            input.Language = null;
            if (normaliser.TryNormalise(1, input, null, out var mention, out _))
            {
                mentions.Add(mention!);
            }
        }

        return [.. mentions];
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    private sealed class DefaultsOnly : IRiskCueStore
    {
        public Task<IReadOnlyList<RiskCue>?> GetAsync(long workspaceId, CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<RiskCue>?>(null);

        public Task SetAsync(long workspaceId, IReadOnlyList<RiskCue>? cues, CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
