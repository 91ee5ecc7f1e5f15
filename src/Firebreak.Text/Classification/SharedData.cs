namespace Firebreak.Text.Classification;

/// <summary>
/// Finds the shared data directory. Data is never copied into the repository (licence terms of the tweets),
/// so code and tests look for it outside: FIREBREAK_SHARED_DATA, else the nearest ancestor of the
/// application directory that contains shared/data/text.
/// </summary>
public static class SharedData
{
    /// <summary>Environment variable naming the shared directory (the one holding data/text).</summary>
    public const string EnvironmentVariable = "FIREBREAK_SHARED_DATA";

    /// <summary>Returns the shared directory (e.g. /work/shared), or throws with a message saying where it looked.</summary>
    public static string Locate()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrEmpty(fromEnvironment))
        {
            return Directory.Exists(Path.Combine(fromEnvironment, "data", "text"))
                ? fromEnvironment
                : throw new DirectoryNotFoundException(
                    $"{EnvironmentVariable}={fromEnvironment} has no data/text directory.");
        }

        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "shared");
            if (Directory.Exists(Path.Combine(candidate, "data", "text")))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException(
            $"Shared tweet data not found: no ancestor of {AppContext.BaseDirectory} contains shared/data/text, " +
            $"and {EnvironmentVariable} is not set.");
    }

    /// <summary>The data/text directory of a shared directory; also accepts the data/text directory itself.</summary>
    public static string TextDataDirectory(string sharedDirectory)
    {
        var nested = Path.Combine(sharedDirectory, "data", "text");
        if (Directory.Exists(nested))
        {
            return nested;
        }

        return Directory.Exists(Path.Combine(sharedDirectory, "sentiment-en"))
            ? sharedDirectory
            : throw new DirectoryNotFoundException($"{sharedDirectory} holds no data/text directory.");
    }

    /// <summary>
    /// Reads a label&lt;TAB&gt;text file. Splits on the first tab only and does no quote handling, because
    /// tweets may start with a quote character.
    /// </summary>
    public static IReadOnlyList<LabelledText> ReadTsv(string path, string? language)
    {
        var rows = new List<LabelledText>();
        foreach (var line in File.ReadLines(path))
        {
            var tab = line.IndexOf('\t', StringComparison.Ordinal);
            if (tab <= 0)
            {
                continue;
            }

            rows.Add(new LabelledText(line[..tab], line[(tab + 1)..], language));
        }

        return rows;
    }
}
