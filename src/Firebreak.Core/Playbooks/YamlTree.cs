namespace Firebreak.Core.Playbooks;

using YamlDotNet.Core;
using YamlDotNet.Core.Events;

/// <summary>
/// A YAML document as plain nodes with their positions. Built from YamlDotNet's event parser rather than its node model
/// because that one throws at the first duplicate key, and a person fixing a file wants every problem listed at once.
/// </summary>
internal abstract record YamlNode(int Line, int Column);

internal sealed record YamlText(string Value, bool IsNull, int Line, int Column) : YamlNode(Line, Column);

internal sealed record YamlList(IReadOnlyList<YamlNode> Items, int Line, int Column) : YamlNode(Line, Column);

internal sealed record YamlMap(IReadOnlyList<(YamlText Key, YamlNode Value)> Entries, int Line, int Column) : YamlNode(Line, Column);

internal static class YamlTree
{
    private const int MaxDepth = 16;

    /// <summary>The single document in <paramref name="yaml"/>; null with errors added when it is not well-formed YAML.</summary>
    public static YamlNode? Load(string yaml, List<PlaybookError> errors)
    {
        try
        {
            var parser = new Parser(new StringReader(yaml));
            parser.Consume<StreamStart>();
            if (parser.Accept<StreamEnd>(out _))
            {
                errors.Add(new PlaybookError(1, 1, "The file is empty: a playbook starts with 'key:', 'title:' and 'scenario:'."));
                return null;
            }

            parser.Consume<DocumentStart>();
            var root = Read(parser, errors, 0);
            parser.Consume<DocumentEnd>();
            if (parser.Accept<DocumentStart>(out var next))
            {
                errors.Add(new PlaybookError(Line(next.Start), Column(next.Start), "A file holds one playbook; this second document ('---') starts another. Put it in its own file."));
            }

            return root;
        }
        catch (YamlException e)
        {
            errors.Add(new PlaybookError(Line(e.Start), Column(e.Start), "Not valid YAML: " + Reason(e) + ". Check the indentation and quotes on this line and the one before."));
            return null;
        }
    }

    private static YamlNode Read(IParser parser, List<PlaybookError> errors, int depth)
    {
        if (depth > MaxDepth)
        {
            var deep = parser.Current!;
            throw new YamlException(deep.Start, deep.End, "nested deeper than any playbook needs");
        }

        if (parser.TryConsume<Scalar>(out var scalar))
        {
            // A plain empty value, ~ or null means "nothing here": treated as a missing field, not as the text "null".
            var isNull = scalar.Style == ScalarStyle.Plain && scalar.Value is "" or "~" or "null" or "Null" or "NULL";
            return new YamlText(scalar.Value.ReplaceLineEndings("\n"), isNull, Line(scalar.Start), Column(scalar.Start));
        }

        if (parser.TryConsume<SequenceStart>(out var sequenceStart))
        {
            var items = new List<YamlNode>();
            while (!parser.TryConsume<SequenceEnd>(out _))
            {
                items.Add(Read(parser, errors, depth + 1));
            }

            return new YamlList(items, Line(sequenceStart.Start), Column(sequenceStart.Start));
        }

        if (parser.TryConsume<MappingStart>(out var mappingStart))
        {
            var entries = new List<(YamlText, YamlNode)>();
            while (!parser.TryConsume<MappingEnd>(out _))
            {
                var key = Read(parser, errors, depth + 1);
                var value = Read(parser, errors, depth + 1);
                if (key is YamlText text)
                {
                    entries.Add((text, value));
                }
                else
                {
                    errors.Add(new PlaybookError(key.Line, key.Column, "A key must be a plain name such as 'title', not a list or a mapping."));
                }
            }

            return new YamlMap(entries, Line(mappingStart.Start), Column(mappingStart.Start));
        }

        var current = parser.Current!;
        if (current is AnchorAlias)
        {
            parser.MoveNext();
            errors.Add(new PlaybookError(Line(current.Start), Column(current.Start), "Aliases (*name) are not supported in playbooks: write the text out, so each step reads on its own."));
            return new YamlText(string.Empty, true, Line(current.Start), Column(current.Start));
        }

        throw new YamlException(current.Start, current.End, "unexpected " + current.GetType().Name);
    }

    private static string Reason(YamlException e)
    {
        // YamlDotNet prefixes its message with the positions, which the error already carries.
        var message = e.Message;
        var cut = message.IndexOf("): ", StringComparison.Ordinal);
        var reason = (cut >= 0 && message.StartsWith('(') ? message[(cut + 3)..] : message).Trim().TrimEnd('.');
        return reason.Length == 0 ? "the text cannot be read as YAML" : char.ToLowerInvariant(reason[0]) + reason[1..];
    }

    private static int Line(Mark mark) => (int)Math.Clamp(mark.Line, 1, int.MaxValue);

    private static int Column(Mark mark) => (int)Math.Clamp(mark.Column, 1, int.MaxValue);
}
