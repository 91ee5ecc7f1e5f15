namespace Firebreak.Core.Tests.Incidents;

using Firebreak.Core.Alerts;
using Firebreak.Core.Incidents;
using Firebreak.Core.Incidents.Review;
using Firebreak.Core.Mentions;

/// <summary>A known incident: declared 10:20, resolved 15:30; a week of history at 4 negative an hour (10 at 13:00).</summary>
public sealed class ReviewCalculatorTests
{
    private static readonly DateTimeOffset Day = new(2026, 11, 20, 0, 0, 0, TimeSpan.Zero);
    private static readonly IncidentActor Ana = new(1, "Ana");

    private static readonly Incident Resolved = new()
    {
        Id = 7,
        WorkspaceId = 1,
        Title = "Offensive ad",
        TopicIds = [3],
        DeclaredAt = Day.AddHours(10).AddMinutes(20),
        ResolvedAt = Day.AddHours(15).AddMinutes(30),
        Status = IncidentStatus.Resolved,
    };

    // Window hours 08:00–15:00: negative per hour out of 100 mentions each.
    private static readonly long[] WindowNegative = [5, 20, 60, 90, 30, 12, 5, 3];

    public static ReviewInput Input(Incident incident, bool withTask = true, DateTimeOffset? now = null)
    {
        var points = new List<SeriesPoint>();
        var baselineStart = Day.AddHours(8).AddDays(-7);
        for (var h = baselineStart; h < Day.AddHours(8); h = h.AddHours(1))
        {
            // Hour 13 on four of the seven days had 10 negative: its median is 10, every other hour's is 4.
            var negative = h.Hour == 13 && h.Day <= 16 ? 10 : 4;
            points.Add(new SeriesPoint(h, 40, negative, 36 - negative + 4, 0, 0, 0));
        }

        for (var i = 0; i < WindowNegative.Length; i++)
        {
            // Split over two series to check the per-hour sum over the incident's topics.
            var n = WindowNegative[i];
            points.Add(new SeriesPoint(Day.AddHours(8 + i), 60, n / 2, 60 - (n / 2), 0, 0, 0));
            points.Add(new SeriesPoint(Day.AddHours(8 + i).AddMinutes(30), 40, n - (n / 2), 40 - (n - (n / 2)), 0, 0, 0));
        }

        var first = new Alert { Id = 11, OpenedAt = Day.AddHours(9).AddMinutes(7), FirstBucketStart = Day.AddHours(9), AcknowledgedAt = Day.AddHours(9).AddMinutes(19) };
        var later = new Alert { Id = 12, OpenedAt = Day.AddHours(11), FirstBucketStart = Day.AddHours(10) };
        var timeline = new List<TimelineEntry>
        {
            new(1, 7, incident.DeclaredAt, Ana, TimelineKind.Declared, "Declared", null),
            new(2, 7, Day.AddHours(10).AddMinutes(30), Ana, TimelineKind.Note, "Drafting", null),
            new(3, 7, Day.AddHours(10).AddMinutes(40), Ana, TimelineKind.Decision, "Internal call", """{"reason":"x"}"""),
            new(4, 7, Day.AddHours(11).AddMinutes(45), Ana, TimelineKind.Decision, "Apology posted", """{"reason":"x","publicResponse":true}"""),
        };
        var tasks = new List<IncidentTask>
        {
            new() { Id = 1, Title = "Convene", State = IncidentTaskState.Done, StepId = "offensive-post/convene", DoneAt = Day.AddHours(10).AddMinutes(25) },
            new() { Id = 2, Title = "Listen", State = IncidentTaskState.Done, StepId = "offensive-post/listen", DoneAt = Day.AddHours(10).AddMinutes(50) },
            new() { Id = 4, Title = "Review", State = IncidentTaskState.Open, StepId = "offensive-post/review" },
            new() { Id = 5, Title = "Root cause", State = IncidentTaskState.Open },
        };
        if (withTask)
        {
            tasks.Add(new() { Id = 3, Title = "Holding statement", State = IncidentTaskState.Done, StepId = "offensive-post/statement", DoneAt = Day.AddHours(11).AddMinutes(10) });
        }

        return new ReviewInput(incident, timeline, tasks, [later, first], points, now ?? Day.AddDays(1));
    }

    [Theory]
    [InlineData("Time to detect", "7 min")]
    [InlineData("Time to acknowledge", "12 min")]
    [InlineData("Time to first public response", "50 min (Holding statement)")]
    [InlineData("Peak negative mentions per hour", "90 at 2026-11-20 11:00 UTC")]
    [InlineData("Negative share at the peak", "90 %")]
    [InlineData("Negative share over the incident", "28.1 %")]
    [InlineData("Time from peak to baseline", "2 h 00 min")]
    [InlineData("Tasks done / open", "3 / 2")]
    public void Figures_OfTheKnownIncident(string figure, string expected)
    {
        var figures = ReviewCalculator.Compute(Input(Resolved));
        Assert.Equal(expected, ReviewMarkdown.Figures(figures).Single(f => f.Name == figure).Value);
    }

    [Fact]
    public void Figures_Exact()
    {
        var f = ReviewCalculator.Compute(Input(Resolved));
        Assert.Equal((Day.AddHours(8), Day.AddHours(16)), (f.WindowStart, f.WindowEnd));
        Assert.Equal(8, f.Hours.Count);
        Assert.Equal(WindowNegative, f.Hours.Select(h => h.Negative));
        Assert.All(f.Hours, h => Assert.Equal(100, h.Count));
        Assert.Equal([4.0, 4, 4, 4, 4, 10, 4, 4], f.Hours.Select(h => h.Baseline!.Value));
        Assert.Equal(TimeSpan.FromMinutes(7), f.TimeToDetect);
        Assert.Equal(TimeSpan.FromMinutes(12), f.TimeToAcknowledge);
        Assert.Equal(Day.AddHours(11).AddMinutes(10), f.FirstResponseAt);
        Assert.Equal(90, f.PeakNegativePerHour);
        Assert.Equal(Day.AddHours(11), f.PeakAt);
        Assert.Equal(0.9, f.PeakNegativeShare!.Value, 6);
        Assert.Equal(225 / 800.0, f.NegativeShare!.Value, 6);
        Assert.Equal(Day.AddHours(13), f.BaselineAt); // 12:00 has 30 > 6; 13:00 has 12 ≤ 1.5 × 10
        Assert.Equal(TimeSpan.FromHours(2), f.TimeToBaseline);
    }

    [Fact]
    public void FirstResponse_WithoutTheHoldingTask_IsThePublicDecision_NotNotesOrInternalDecisions()
    {
        var f = ReviewCalculator.Compute(Input(Resolved, withTask: false));
        Assert.Equal(("Apology posted", TimeSpan.FromMinutes(85)), (f.FirstResponse, f.TimeToFirstResponse!.Value));
    }

    [Fact]
    public void Unresolved_WindowEndsNow_NotBackYet()
    {
        var open = Resolved with { ResolvedAt = null, Status = IncidentStatus.Active };
        var f = ReviewCalculator.Compute(Input(open, now: Day.AddHours(12).AddMinutes(30)));
        Assert.Equal(Day.AddHours(13), f.WindowEnd);
        Assert.Equal(5, f.Hours.Count);
        Assert.Null(f.TimeToBaseline);
        Assert.Equal("not back yet", ReviewMarkdown.Figures(f).Single(r => r.Name == "Time from peak to baseline").Value);
    }

    [Fact]
    public void NoAlertsNoSeries_NothingToMeasure()
    {
        var f = ReviewCalculator.Compute(new ReviewInput(Resolved, [], [], [], [], Day.AddDays(1)));
        Assert.Null(f.TimeToDetect);
        Assert.Null(f.TimeToAcknowledge);
        Assert.Null(f.PeakAt);
        Assert.Null(f.NegativeShare);
        Assert.Equal((0, 0), (f.TasksDone, f.TasksOpen));
    }

    [Fact]
    public void Markdown_EscapesPeoplesText_AndListsActionItems()
    {
        var input = Input(Resolved);
        var review = new IncidentReview(Resolved, ReviewCalculator.Compute(input), new ReviewText
        {
            WentWell = "Fast <b>holding</b> statement",
            ActionItems = [new ReviewActionItem("Train [the team](http://evil)", "Ben")],
            PlaybookChanges = [new ReviewPlaybookChange("offensive-post", "Add a step")],
        }, input.Timeline, input.Tasks);
        var md = ReviewMarkdown.Write(review);
        Assert.Contains("Fast \\<b\\>holding\\</b\\> statement", md, StringComparison.Ordinal);
        Assert.Contains("- [ ] Train \\[the team\\](http://evil) — Ben", md, StringComparison.Ordinal);
        Assert.Contains("- `offensive-post`: Add a step", md, StringComparison.Ordinal);
        Assert.Contains("| Time to detect | 7 min |", md, StringComparison.Ordinal);
    }
}
