namespace Firebreak.Core.Scenarios;

/// <summary>
/// Everything needed to write convincing text in one language: templates by mood, cities, names
/// (Latin form for handles, native script for display names), news outlets and edit suffixes.
/// </summary>
internal sealed record LanguagePack
{
    public required string Code { get; init; }

    /// <summary>True for Latin-script languages, where injected typos and ALL CAPS look natural.</summary>
    public required bool LatinScript { get; init; }

    public required TextTemplate[] Positive { get; init; }

    public required TextTemplate[] Neutral { get; init; }

    public required TextTemplate[] Negative { get; init; }

    public required TextTemplate[] Crisis { get; init; }

    /// <summary>Replies addressed to the viral post's author; languages without any reuse <see cref="Crisis"/>.</summary>
    public required TextTemplate[] CrisisReplies { get; init; }

    public required TextTemplate[] News { get; init; }

    public required TextTemplate[] CrisisNews { get; init; }

    public required string[] Cities { get; init; }

    public required (string Latin, string Native)[] Names { get; init; }

    public required (string Name, string Domain)[] Outlets { get; init; }

    public required string[] EditSuffixes { get; init; }

    public static LanguagePack Create(
        string code,
        bool latinScript,
        string[] positive,
        string[] neutral,
        string[] negative,
        string[] crisis,
        string[] crisisReplies,
        string[] news,
        string[] crisisNews,
        string[] cities,
        string[] names,
        string[] outlets,
        string[] editSuffixes)
    {
        var parsedCrisis = TextTemplate.ParseAll(crisis);
        return new LanguagePack
        {
            Code = code,
            LatinScript = latinScript,
            Positive = TextTemplate.ParseAll(positive),
            Neutral = TextTemplate.ParseAll(neutral),
            Negative = TextTemplate.ParseAll(negative),
            Crisis = parsedCrisis,
            CrisisReplies = crisisReplies.Length == 0 ? parsedCrisis : TextTemplate.ParseAll(crisisReplies),
            News = TextTemplate.ParseAll(news),
            CrisisNews = TextTemplate.ParseAll(crisisNews),
            Cities = cities,
            Names = SplitPairs(names),
            Outlets = SplitPairs(outlets),
            EditSuffixes = editSuffixes,
        };
    }

    /// <summary>This pack with another story's crisis texts (see <see cref="CrisisStory"/>); the everyday texts stay.</summary>
    public LanguagePack WithCrisis(TextTemplate[] crisis, TextTemplate[] replies, TextTemplate[] news) =>
        this with { Crisis = crisis, CrisisReplies = replies.Length == 0 ? crisis : replies, CrisisNews = news };

    /// <summary>Pairs are written "left|right" to keep the data tables readable.</summary>
    private static (string, string)[] SplitPairs(string[] pairs)
    {
        var result = new (string, string)[pairs.Length];
        for (var i = 0; i < pairs.Length; i++)
        {
            var bar = pairs[i].IndexOf('|', StringComparison.Ordinal);
            result[i] = bar < 0 ? (pairs[i], pairs[i]) : (pairs[i][..bar], pairs[i][(bar + 1)..]);
        }

        return result;
    }
}
