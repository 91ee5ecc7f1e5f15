namespace Firebreak.Text.LanguageId;

/// <summary>Reads `lang&lt;TAB&gt;text` files; lines without a tab or with an empty side are skipped.</summary>
internal static class LanguageIdTsv
{
    public static IEnumerable<(string Lang, string Text)> Read(string path)
    {
        foreach (var line in File.ReadLines(path))
        {
            if (TryParse(line, out var row))
            {
                yield return row;
            }
        }
    }

    public static async Task<List<(string Lang, string Text)>> ReadAllAsync(string path, CancellationToken cancellationToken = default)
    {
        var rows = new List<(string Lang, string Text)>();
        using var reader = new StreamReader(path);
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            if (TryParse(line, out var row))
            {
                rows.Add(row);
            }
        }

        return rows;
    }

    private static bool TryParse(string line, out (string Lang, string Text) row)
    {
        var tab = line.IndexOf('\t', StringComparison.Ordinal);
        if (tab <= 0 || tab == line.Length - 1)
        {
            row = default;
            return false;
        }

        row = (line[..tab], line[(tab + 1)..]);
        return true;
    }
}
