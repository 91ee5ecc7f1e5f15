namespace Firebreak.Text.LanguageId;

/// <summary>Entry points for the CLI: train from a TSV file and save, or evaluate a model on a TSV file.</summary>
public static class LanguageIdTraining
{
    /// <summary>
    /// Trains with default options and <paramref name="seed"/>, writes the model to <paramref name="outputPath"/>
    /// (via a temporary file, so a crash never leaves half a model), and returns the held-out-fold report.
    /// </summary>
    public static async Task<LanguageIdReport> TrainAndSaveAsync(string trainTsv, string outputPath, int seed, TextWriter log)
    {
        ArgumentNullException.ThrowIfNull(log);
        var rows = await LanguageIdTsv.ReadAllAsync(trainTsv).ConfigureAwait(false);
        await log.WriteLineAsync($"read {rows.Count} rows from {trainTsv}").ConfigureAwait(false);
        var trainer = new LanguageIdTrainer(log);
        var model = trainer.Train(rows, new LanguageIdTrainingOptions { Seed = seed });
        using var buffer = new MemoryStream();
        model.Save(buffer);
        var directory = Path.GetDirectoryName(Path.GetFullPath(outputPath));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        var temporary = outputPath + ".tmp";
        await File.WriteAllBytesAsync(temporary, buffer.ToArray()).ConfigureAwait(false);
        File.Move(temporary, outputPath, overwrite: true);
        await log.WriteLineAsync($"wrote {buffer.Length} bytes to {outputPath}").ConfigureAwait(false);
        return trainer.HoldoutReport ?? LanguageIdReport.From([]);
    }

    /// <summary>Identifies every text of a `lang&lt;TAB&gt;text` file and scores the answers.</summary>
    public static LanguageIdReport Evaluate(LanguageIdentifier model, string tsvPath)
    {
        ArgumentNullException.ThrowIfNull(model);
        return Evaluate(model, LanguageIdTsv.Read(tsvPath));
    }

    internal static LanguageIdReport Evaluate(LanguageIdentifier model, IEnumerable<(string Lang, string Text)> rows)
    {
        var scratch = new LanguageIdScratch();
        return LanguageIdReport.From(rows.Select(row => (row.Lang, model.Identify(row.Text, scratch).Language)));
    }
}
