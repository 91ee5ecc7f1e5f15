namespace Firebreak.Cli;

using System.CommandLine;
using Firebreak.Text.Classification;
using Firebreak.Text.LanguageId;

/// <summary>
/// `firebreak train` and `firebreak eval`: the shipped models are produced by this verb from ../shared/data,
/// deterministically (same data and seed, same bytes), and any labelled TSV can be scored.
/// </summary>
internal static class TrainCommand
{
    public static readonly string[] Models = ["langid", .. TextTasks.Models];

    public static Command CreateTrain()
    {
        var task = new Option<string>("--task") { Description = "all, " + string.Join(", ", Models), DefaultValueFactory = _ => "all" };
        var shared = new Option<string?>("--shared") { Description = "The shared folder holding data/ (default: found above this checkout, or FIREBREAK_SHARED_DATA)" };
        var output = new Option<string>("--out") { Description = "Folder for the model files", DefaultValueFactory = _ => Path.Combine("src", "Firebreak.Text", "Models") };
        var seed = new Option<int>("--seed") { Description = "Random seed (same data and seed, same bytes)", DefaultValueFactory = _ => 1 };
        var workspace = new Option<string?>("--workspace", "-w") { Description = "Fold this workspace's label corrections into its own models (written to <data>/models/<workspace id>/)" };
        var weight = new Option<float>("--correction-weight") { Description = "How much one correction counts against one training example", DefaultValueFactory = _ => 5f };
        var command = new Command("train", "Train the text models from ../shared/data (language id, sentiment, offensive, hate, emotion).") { task, shared, output, seed, workspace, weight };
        command.SetAction(async (result, ct) =>
        {
            if (result.GetValue(workspace) is { } slug)
            {
                return await TrainWorkspaceAsync(result, slug, result.GetValue(task)!, result.GetValue(shared) ?? LocateShared(), result.GetValue(weight), result.GetValue(seed), ct);
            }

            var which = result.GetValue(task)!;
            var selected = which == "all" ? Models : [which];
            if (selected.Any(m => !Models.Contains(m)))
            {
                throw new CliException($"Unknown model '{which}'; use all, {string.Join(", ", Models)}.");
            }

            var sharedDir = result.GetValue(shared) ?? LocateShared();
            var outDir = result.GetValue(output)!;
            Directory.CreateDirectory(outDir);
            foreach (var model in selected)
            {
                var path = Path.Combine(outDir, model + ".bin");
                if (model == "langid")
                {
                    var report = await LanguageIdTraining.TrainAndSaveAsync(Path.Combine(sharedDir, "data", "langid", "train.tsv"), path, result.GetValue(seed), Console.Out);
                    Console.WriteLine(report.Format());
                }
                else
                {
                    var report = await ClassifierTraining.TrainAndSaveAsync(model, sharedDir, path, result.GetValue(seed), Console.Out);
                    Console.WriteLine(report.Format());
                }

                Console.WriteLine($"Wrote {path} ({new FileInfo(path).Length / 1024.0:N0} KiB).");
            }

            return 0;
        });
        return command;
    }

    public static Command CreateEval()
    {
        var model = new Argument<string>("model") { Description = string.Join(", ", Models) + " (or sentiment-en / sentiment-multi to pick that benchmark's metric)" };
        var file = new Argument<FileInfo>("file") { Description = "TSV of label<TAB>text (no header, no quoting)" };
        var language = new Option<string?>("--lang") { Description = "Language of every row (sentiment-multi files)" };
        var predictions = new Option<FileInfo?>("--predictions") { Description = "Write gold, predicted, confidence, text here (TSV)" };
        var modelFile = new Option<FileInfo?>("--model-file") { Description = "Evaluate this model file instead of the shipped one" };
        var command = new Command("eval", "Score a model on any labelled TSV: the benchmark's metric, per-class precision/recall/F1 and a confusion matrix.")
        {
            model, file, language, predictions, modelFile,
        };
        command.SetAction(async (result, ct) =>
        {
            var name = result.GetValue(model)!;
            var input = result.GetValue(file)!;
            if (!input.Exists)
            {
                throw new CliException($"File not found: {input.FullName}");
            }

            var custom = result.GetValue(modelFile);
            if (name == "langid")
            {
                LanguageIdentifier identifier;
                if (custom is null)
                {
                    identifier = LanguageIdentifier.LoadDefault();
                }
                else
                {
                    await using var stream = custom.OpenRead();
                    identifier = LanguageIdentifier.Load(stream);
                }

                Console.WriteLine(LanguageIdTraining.Evaluate(identifier, input.FullName).Format());
                return 0;
            }

            var textTask = TextTasks.All.FirstOrDefault(t => t.Name == name) ?? (TextTasks.Models.Contains(name) ? TextTasks.ForModel(name)[0] : null)
                ?? throw new CliException($"Unknown model '{name}'; use {string.Join(", ", Models)}, sentiment-en or sentiment-multi.");
            LinearClassifier classifier;
            if (custom is null)
            {
                classifier = LinearClassifier.LoadDefault(textTask.Model);
            }
            else
            {
                await using var stream = custom.OpenRead();
                classifier = LinearClassifier.Load(stream);
            }

            var rows = SharedData.ReadTsv(input.FullName, result.GetValue(language));
            var report = Evaluation.Evaluate(classifier, rows, result.GetValue(language), textTask.Metric, input.Name);
            Console.WriteLine(report.Format());
            if (result.GetValue(predictions) is { } output)
            {
                await using var writer = new StreamWriter(output.FullName);
                report.WritePredictions(writer);
                Console.WriteLine($"Predictions: {output.FullName}");
            }

            return 0;
        });
        return command;
    }

    /// <summary>
    /// A workspace's own classifiers: the shipped recipe plus the workspace's corrections, weighted. The
    /// running server picks the files up with the next batch; `git` never sees them (they live in the data folder).
    /// </summary>
    private static async Task<int> TrainWorkspaceAsync(System.CommandLine.ParseResult result, string slug, string which, string sharedDir, float weight, int seed, CancellationToken ct)
    {
        await using var engine = await LocalEngine.OpenAsync(result);
        var dataDirectory = result.GetValue(FirebreakCli.Data)!;
        var ws = await engine.RequireWorkspaceAsync(slug, create: false, ct);
        var corrections = await engine.Corrections.ListAsync(ws.Id, null, ct);
        var tasks = which == "all" ? TextTasks.Models : TextTasks.Models.Contains(which) ? [which] : throw new CliException($"Workspace models exist for {string.Join(", ", TextTasks.Models)} (or all), not '{which}'.");
        var trained = 0;
        foreach (var model in tasks)
        {
            var rows = corrections.Where(c => c.Task == model).Select(c => new LabelledText(c.Label, c.Text, c.Language == "und" ? null : c.Language)).ToList();
            if (rows.Count == 0)
            {
                Console.WriteLine($"[{model}] no corrections in workspace '{slug}'; it keeps the shipped model.");
                continue;
            }

            var path = Text.Analysis.WorkspaceModelOptions.PathFor(Path.Combine(dataDirectory, "models"), ws.Id, model);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var temporary = path + ".tmp";
            var report = await ClassifierTraining.TrainWithCorrectionsAsync(model, sharedDir, rows, weight, temporary, seed, Console.Out);

            // Replace atomically: the server may be loading the previous file at this moment.
            File.Move(temporary, path, overwrite: true);
            Console.WriteLine(report.Format());
            Console.WriteLine($"[{model}] {rows.Count} corrections folded in; wrote {path}.");
            trained++;
        }

        return trained > 0 ? 0 : 2;
    }

    private static string LocateShared()
    {
        try
        {
            return SharedData.Locate();
        }
        catch (Exception ex) when (ex is DirectoryNotFoundException or InvalidOperationException)
        {
            throw new CliException(ex.Message + " Pass --shared /path/to/shared.");
        }
    }
}
