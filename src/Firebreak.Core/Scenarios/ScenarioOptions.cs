namespace Firebreak.Core.Scenarios;

/// <summary>One language's share of the stream; weights are relative, they need not sum to 1.</summary>
public sealed record LanguageShare(string Language, double Weight);

/// <summary>
/// Knobs of a generated scenario. Same options (seed included) always give the same stream.
/// </summary>
public sealed record ScenarioOptions
{
    private TimeSpan? crisisStart;
    private bool crisisStartSet;

    /// <summary>Languages the text corpus covers, with the default mix (English largest).</summary>
    public static IReadOnlyList<LanguageShare> DefaultLanguageMix { get; } =
    [
        new("en", 45), new("id", 10), new("fr", 8), new("ru", 7), new("ar", 8),
        new("es", 7), new("pt", 5), new("de", 4), new("ja", 3), new("hi", 3),
    ];

    public string Brand { get; init; } = "Aurora Air";

    public int Seed { get; init; } = 42;

    public required DateTimeOffset Start { get; init; }

    public TimeSpan Duration { get; init; } = TimeSpan.FromDays(1);

    /// <summary>The brand's home time zone as a fixed offset; drives the daily rhythm.</summary>
    public TimeSpan UtcOffset { get; init; } = TimeSpan.Zero;

    /// <summary>Average mentions per minute over a normal week (daily and weekly rhythm average to this).</summary>
    public double BaseRatePerMinute { get; init; } = 20;

    /// <summary>
    /// Offset into the scenario where the viral post lands; null means no crisis. When never set it
    /// defaults to 60% of <see cref="Duration"/>, so a one-line options object still shows a crisis.
    /// </summary>
    public TimeSpan? CrisisStart
    {
        get => crisisStartSet ? crisisStart : Duration * 0.6;
        init
        {
            crisisStart = value;
            crisisStartSet = true;
        }
    }

    /// <summary>Extra crisis traffic at its peak, as a multiple of <see cref="BaseRatePerMinute"/>.</summary>
    public double CrisisPeakMultiplier { get; init; } = 25;

    /// <summary>
    /// Share of the peak's extra traffic there from the viral post's first second (0 to 1); the rest ramps up
    /// quadratically to the peak. 0 (the default) is a ramp from nothing: 1.6% extra volume in the first minute, a
    /// burst that grows out of word of mouth. A post by a big account is seen by its followers at once, and every
    /// reply to it mentions the brand it tags, so such a burst starts with a jump (see <see cref="ScenarioCatalog.SuddenBurst"/>).
    /// </summary>
    public double CrisisOnset { get; init; }

    /// <summary>Time from the viral post to the peak.</summary>
    public TimeSpan CrisisRamp { get; init; } = TimeSpan.FromMinutes(40);

    /// <summary>How long crisis traffic lasts in all (ramp plus long tail).</summary>
    public TimeSpan CrisisDuration { get; init; } = TimeSpan.FromHours(12);

    /// <summary>
    /// The storyline the burst tells: null for the airline crisis (the language packs' own crisis texts), or a story key
    /// (<see cref="ScenarioCatalog.HackedAccount"/>, <see cref="ScenarioCatalog.OffensivePost"/>, <see cref="ScenarioCatalog.Tragedy"/>) whose texts replace them. A story
    /// has text in fewer languages, so <see cref="LanguageMix"/> must keep to those.
    /// </summary>
    public string? Story { get; init; }

    public string CrisisAuthorName { get; init; } = "Idris Bakare";

    public string CrisisAuthorHandle { get; init; } = "idrisbakare";

    public IReadOnlyList<LanguageShare> LanguageMix { get; init; } = DefaultLanguageMix;

    /// <summary>Share of items whose platform did not report a language (left for detection).</summary>
    public double UnlabelledLanguageShare { get; init; } = 0.15;

    /// <summary>Share of items delivered twice, byte-for-byte, as at-least-once feeds do.</summary>
    public double DuplicateShare { get; init; } = 0.005;

    /// <summary>Share of items re-delivered later with slightly edited text under the same id.</summary>
    public double EditShare { get; init; } = 0.002;
}
