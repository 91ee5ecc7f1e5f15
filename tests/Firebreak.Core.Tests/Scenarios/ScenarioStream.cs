using Firebreak.Core.Ingestion;
using Firebreak.Core.Scenarios;

namespace Firebreak.Core.Tests.Scenarios;

/// <summary>One generated crisis day, shared by the tests that only read it (generating is the slow part).</summary>
public sealed class ScenarioStream
{
    public static readonly DateTimeOffset Start = new(2025, 3, 3, 0, 0, 0, TimeSpan.Zero); // a Monday

    public ScenarioStream()
    {
        Options = new ScenarioOptions { Start = Start, Duration = TimeSpan.FromDays(2), BaseRatePerMinute = 6, CrisisStart = TimeSpan.FromHours(38) };
        var generator = new ScenarioGenerator(Options);
        while (generator.NextCaptureAt is { } at)
        {
            Assert.True(generator.TryNext(out var mention));
            Items.Add(mention);
            CapturedAt.Add(at);
        }

        Assert.False(generator.TryNext(out _));
    }

    public ScenarioOptions Options { get; }

    public List<MentionInput> Items { get; } = [];

    public List<DateTimeOffset> CapturedAt { get; } = [];

    public DateTimeOffset CrisisAt => Start + Options.CrisisStart!.Value;

    public static string Describe(MentionInput m) =>
        string.Join('|', m.Platform, m.ExternalId, m.Kind, m.Author?.Handle, m.Author?.DisplayName, m.Author?.Followers, m.Author?.Verified, m.Text, m.Language, m.Url,
            m.CreatedAt?.ToString("O"), m.Engagement?.Likes, m.Engagement?.Shares, m.Engagement?.Replies, m.Engagement?.Views, m.ParentExternalId, m.ThreadExternalId);
}
