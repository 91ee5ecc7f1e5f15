using Firebreak.Core.Scenarios;

namespace Firebreak.Core.Tests.Scenarios;

public sealed class ScenarioCatalogTests
{
    private static readonly DateTimeOffset Start = new(2025, 3, 3, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void TryCreate_AirlineCrisis_HasCrisisAtSixtyPercent()
    {
        Assert.True(ScenarioCatalog.TryCreate("airline-crisis", Start, out var options));

        Assert.Equal(options.Duration * 0.6, options.CrisisStart);
        Assert.Equal("Aurora Air", options.Brand);
    }

    [Fact]
    public void TryCreate_Steady_HasNoCrisis()
    {
        Assert.True(ScenarioCatalog.TryCreate("Steady", Start, out var options));

        Assert.Null(options.CrisisStart);
        Assert.Null((options with { Duration = TimeSpan.FromDays(3) }).CrisisStart);
    }

    [Fact]
    public void TryCreate_UnknownName_ReturnsFalse()
    {
        Assert.False(ScenarioCatalog.TryCreate("nope", Start, out _));
        Assert.Throws<ArgumentException>(() => ScenarioCatalog.Create("nope", Start));
    }

    [Fact]
    public void SuddenBurst_IsTheAirlineCrisisStartingWithAJump()
    {
        Assert.True(ScenarioCatalog.TryCreate("sudden-burst", Start, out var options));
        var crisis = ScenarioCatalog.Create(ScenarioCatalog.AirlineCrisis, Start);

        Assert.Equal(ScenarioCatalog.SuddenBurstOnset, options.CrisisOnset);
        Assert.Equal(0, crisis.CrisisOnset);
        Assert.Equal(crisis.CrisisStart, options.CrisisStart);
        Assert.Contains(ScenarioCatalog.All, s => s.Name == ScenarioCatalog.SuddenBurst);
    }

    [Fact]
    public void All_Always_NamesDefaultAndSteady()
    {
        Assert.Contains(ScenarioCatalog.All, s => s.Name == ScenarioCatalog.Default);
        Assert.Contains(ScenarioCatalog.All, s => s.Name == ScenarioCatalog.Steady);
    }
}
