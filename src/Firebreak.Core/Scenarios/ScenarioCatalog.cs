namespace Firebreak.Core.Scenarios;

public sealed record ScenarioDescriptor(string Name, string Description);

/// <summary>Named scenarios, so a CLI can say <c>firebreak replay --scenario airline-crisis</c>.</summary>
public static class ScenarioCatalog
{
    public const string AirlineCrisis = "airline-crisis";
    public const string Steady = "steady";
    public const string Default = AirlineCrisis;

    /// <summary>
    /// The airline crisis with the onset a big account gives it: a fifth of the peak's extra traffic from the first
    /// second (the director's 2.4 million followers see the post at once, and every reply mentions the brand it tags),
    /// then the same ramp. The default scenario's ramp from nothing is the slow case: a complaint that spreads by
    /// word of mouth.
    /// </summary>
    public const string SuddenBurst = "sudden-burst";

    /// <summary>Posts the team never approved appear on the brand's account; followers ask "were you hacked?" (sudden onset).</summary>
    public const string HackedAccount = "hacked-account";

    /// <summary>A staff member's offensive post from the brand account draws outrage (sudden onset).</summary>
    public const string OffensivePost = "offensive-post";

    /// <summary>A national tragedy while the brand's cheerful posts keep going out on schedule (sudden onset).</summary>
    public const string Tragedy = "national-tragedy";

    /// <summary>Share of the peak's extra traffic at the first second of <see cref="SuddenBurst"/>.</summary>
    public const double SuddenBurstOnset = 0.2;

    public static IReadOnlyList<ScenarioDescriptor> All { get; } =
    [
        new(AirlineCrisis, "Aurora Air: a normal day, then a director's removal from a flight goes viral (#BoycottAuroraAir)."),
        new(SuddenBurst, "Aurora Air: the same crisis as it starts when a big account posts it: 6× the average volume at once, then the ramp."),
        new(Steady, "Aurora Air on ordinary days: daily and weekly rhythm, no crisis."),
        new(HackedAccount, "Aurora Air's account is hacked: scam giveaways and slurs it never approved; followers ask \"were you hacked?\" (en, es, fr)."),
        new(OffensivePost, "A post from Aurora Air's account mocks disabled travellers; outrage, \"delete it\" against \"own it\" (en, es, fr)."),
        new(Tragedy, "A national tragedy while Aurora Air's cheerful posts keep going out on schedule; grief and anger at the tone (en, es, fr)."),
    ];

    public static bool TryCreate(string name, DateTimeOffset start, out ScenarioOptions options)
    {
        switch (name.Trim().ToLowerInvariant())
        {
            case AirlineCrisis:
                options = new ScenarioOptions { Start = start };
                return true;
            case SuddenBurst:
                options = new ScenarioOptions { Start = start, CrisisOnset = SuddenBurstOnset };
                return true;
            case HackedAccount:
                options = Story(start, HackedAccount, "Nadia Korsakova", "nadiakorsakova_sec");
                return true;
            case OffensivePost:
                options = Story(start, OffensivePost, "Jordan Ellery", "jordanellery");
                return true;
            case Tragedy:
                options = Story(start, Tragedy, "Mara Ellison", "maraellison");
                return true;
            case Steady:
                options = new ScenarioOptions { Start = start, CrisisStart = null };
                return true;
            default:
                options = new ScenarioOptions { Start = start };
                return false;
        }
    }

    /// <summary>
    /// A story's stream: it starts with a jump like <see cref="SuddenBurst"/> (a big account's post, seen at once) and mixes
    /// only the languages the story has text for, in the default mix's proportions.
    /// </summary>
    private static ScenarioOptions Story(DateTimeOffset start, string story, string authorName, string authorHandle) => new()
    {
        Start = start,
        Story = story,
        CrisisOnset = SuddenBurstOnset,
        CrisisAuthorName = authorName,
        CrisisAuthorHandle = authorHandle,
        LanguageMix = [.. ScenarioOptions.DefaultLanguageMix.Where(l => CrisisStories.Languages.Contains(l.Language))],
    };

    public static ScenarioOptions Create(string name, DateTimeOffset start) =>
        TryCreate(name, start, out var options)
            ? options
            : throw new ArgumentException($"Unknown scenario '{name}'. Known: {string.Join(", ", All.Select(s => s.Name))}.", nameof(name));
}
