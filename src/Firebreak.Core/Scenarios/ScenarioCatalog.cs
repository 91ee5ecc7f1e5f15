namespace Firebreak.Core.Scenarios;

public sealed record ScenarioDescriptor(string Name, string Description);

/// <summary>Named scenarios, so a CLI can say <c>firebreak replay --scenario airline-crisis</c>.</summary>
public static class ScenarioCatalog
{
    public const string AirlineCrisis = "airline-crisis";
    public const string Steady = "steady";
    public const string Default = AirlineCrisis;

    public static IReadOnlyList<ScenarioDescriptor> All { get; } =
    [
        new(AirlineCrisis, "Aurora Air: a normal day, then a director's removal from a flight goes viral (#BoycottAuroraAir)."),
        new(Steady, "Aurora Air on ordinary days: daily and weekly rhythm, no crisis."),
    ];

    public static bool TryCreate(string name, DateTimeOffset start, out ScenarioOptions options)
    {
        switch (name.Trim().ToLowerInvariant())
        {
            case AirlineCrisis:
                options = new ScenarioOptions { Start = start };
                return true;
            case Steady:
                options = new ScenarioOptions { Start = start, CrisisStart = null };
                return true;
            default:
                options = new ScenarioOptions { Start = start };
                return false;
        }
    }

    public static ScenarioOptions Create(string name, DateTimeOffset start) =>
        TryCreate(name, start, out var options)
            ? options
            : throw new ArgumentException($"Unknown scenario '{name}'. Known: {AirlineCrisis}, {Steady}.", nameof(name));
}
