using Firebreak.Text.LanguageId;

namespace Firebreak.Text.Tests.LanguageId;

/// <summary>
/// Finds the shared language-id data (never copied into the repo): $FIREBREAK_SHARED_DATA, else the first
/// ancestor of the test binaries holding shared/data/langid. Missing data is a failure, not a skip, so a
/// broken checkout cannot make the accuracy floors pass silently.
/// </summary>
internal static class LangIdData
{
    public static string Directory { get; } = Locate();

    public static string TrainPath => Path.Combine(Directory, "train.tsv");

    public static string DevPath => Path.Combine(Directory, "dev.tsv");

    public static List<(string Lang, string Text)> ReadRows(string path, int limit)
    {
        var rows = new List<(string Lang, string Text)>();
        foreach (var line in File.ReadLines(path))
        {
            if (rows.Count == limit)
            {
                break;
            }

            var tab = line.IndexOf('\t', StringComparison.Ordinal);
            if (tab > 0)
            {
                rows.Add((line[..tab], line[(tab + 1)..]));
            }
        }

        return rows;
    }

    private static string Locate()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable("FIREBREAK_SHARED_DATA");
        if (!string.IsNullOrEmpty(fromEnvironment))
        {
            foreach (var candidate in new[] { Path.Combine(fromEnvironment, "langid"), Path.Combine(fromEnvironment, "data", "langid") })
            {
                if (File.Exists(Path.Combine(candidate, "dev.tsv")))
                {
                    return candidate;
                }
            }
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "data", "langid");
            if (File.Exists(Path.Combine(candidate, "dev.tsv")))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException(
            "Language-id data not found: set FIREBREAK_SHARED_DATA or place shared/data/langid (train.tsv, dev.tsv) "
            + $"in an ancestor of {AppContext.BaseDirectory}. These tests must not pass without it.");
    }
}

/// <summary>A small model trained once per test run, for tests that need a model other than the shipped one.</summary>
public sealed class SmallModelFixture
{
    public SmallModelFixture()
    {
        Rows = LangIdData.ReadRows(LangIdData.TrainPath, 20_000);
        Model = new LanguageIdTrainer().Train(Rows, SmallOptions(seed: 1));
    }

    public List<(string Lang, string Text)> Rows { get; }

    public LanguageIdentifier Model { get; }

    /// <summary>Fewer buckets and epochs than the shipped model: the tests check mechanics, not quality.</summary>
    public static LanguageIdTrainingOptions SmallOptions(int seed) =>
        new() { Seed = seed, BucketBits = 14, Epochs = 2, RefitOnAllData = false };
}
