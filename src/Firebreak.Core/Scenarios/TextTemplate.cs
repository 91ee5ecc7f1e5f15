namespace Firebreak.Core.Scenarios;

/// <summary>Placeholders a template may contain, written as one character in braces, e.g. "{b}".</summary>
internal enum Slot : byte
{
    None,
    Brand,
    BrandTag,
    BrandHandle,
    City,
    Flight,
    Number,
    PositiveEmoji,
    NegativeEmoji,
    NeutralEmoji,
    ShortUrl,
    CrisisTag,
    MainCrisisTag,
    CrisisName,
    CrisisHandle,
    CrisisFlight,
    OtherHandle,
}

internal readonly record struct Segment(string? Literal, Slot Slot);

/// <summary>
/// A template parsed once at start-up into literal and slot segments, so filling it per item is a
/// straight append loop with no string searching.
/// </summary>
internal sealed class TextTemplate
{
    private TextTemplate(Segment[] segments) => Segments = segments;

    public Segment[] Segments { get; }

    public static TextTemplate Parse(string template)
    {
        var segments = new List<Segment>();
        var literalStart = 0;
        var i = 0;
        while (i < template.Length)
        {
            if (template[i] == '{' && i + 2 < template.Length && template[i + 2] == '}')
            {
                var slot = ToSlot(template[i + 1]);
                if (i > literalStart)
                {
                    segments.Add(new Segment(template[literalStart..i], Slot.None));
                }

                segments.Add(new Segment(null, slot));
                i += 3;
                literalStart = i;
                continue;
            }

            i++;
        }

        if (literalStart < template.Length)
        {
            segments.Add(new Segment(template[literalStart..], Slot.None));
        }

        return new TextTemplate(segments.ToArray());
    }

    public static TextTemplate[] ParseAll(string[] templates)
    {
        var parsed = new TextTemplate[templates.Length];
        for (var i = 0; i < templates.Length; i++)
        {
            parsed[i] = Parse(templates[i]);
        }

        return parsed;
    }

    private static Slot ToSlot(char code) => code switch
    {
        'b' => Slot.Brand,
        't' => Slot.BrandTag,
        '@' => Slot.BrandHandle,
        'c' => Slot.City,
        'f' => Slot.Flight,
        'n' => Slot.Number,
        '+' => Slot.PositiveEmoji,
        '-' => Slot.NegativeEmoji,
        '~' => Slot.NeutralEmoji,
        'u' => Slot.ShortUrl,
        'x' => Slot.CrisisTag,
        'X' => Slot.MainCrisisTag,
        'd' => Slot.CrisisName,
        'D' => Slot.CrisisHandle,
        'F' => Slot.CrisisFlight,
        'm' => Slot.OtherHandle,
        _ => throw new FormatException($"Unknown template slot '{{{code}}}'."),
    };
}
