namespace Firebreak.Core.Playbooks;

using System.Text;

/// <summary>A holding statement with its variables filled in, and the variables nobody supplied.</summary>
public sealed record RenderedStatement(string Text, IReadOnlyList<string> Missing);

public static class HoldingStatement
{
    /// <summary>
    /// Replaces {name} with its value. An unknown variable stays visible as {name} and is reported: a statement that
    /// goes out with "{brand}" in it is embarrassing, one that silently drops the brand is worse, so the person posting
    /// must see the gap. "{{" and "}}" stand for literal braces.
    /// </summary>
    public static RenderedStatement Render(string text, IReadOnlyDictionary<string, string> variables)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(variables);
        var output = new StringBuilder(text.Length);
        var missing = new List<string>();
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '{' && i + 1 < text.Length && text[i + 1] == '{')
            {
                output.Append('{');
                i++;
                continue;
            }

            if (c == '}' && i + 1 < text.Length && text[i + 1] == '}')
            {
                output.Append('}');
                i++;
                continue;
            }

            var end = c == '{' ? text.IndexOf('}', i + 1) : -1;
            if (end > i + 1 && IsName(text.AsSpan(i + 1, end - i - 1)))
            {
                var name = text[(i + 1)..end];
                if (variables.TryGetValue(name, out var value))
                {
                    output.Append(value);
                }
                else
                {
                    output.Append(text, i, end - i + 1);
                    if (!missing.Contains(name))
                    {
                        missing.Add(name);
                    }
                }

                i = end;
                continue;
            }

            output.Append(c);
        }

        return new RenderedStatement(output.ToString(), missing);
    }

    /// <summary>The variables a statement uses, in order of first use.</summary>
    public static IReadOnlyList<string> Variables(string text) => Render(text, new Dictionary<string, string>()).Missing;

    private static bool IsName(ReadOnlySpan<char> name)
    {
        foreach (var c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '-'))
            {
                return false;
            }
        }

        return name.Length <= 40;
    }
}
