using Firebreak.Core.Alerts;
using Firebreak.Core.Detection;
using static Firebreak.Core.Tests.Alerts.AlertSamples;

namespace Firebreak.Core.Tests.Alerts;

/// <summary>Who is told, decided on one snapshot with a fixed instant (12:00 UTC = 21:00 in Tokyo, 07:00 in New York).</summary>
public sealed class NotificationPlannerTests
{
    private static readonly QuietHours TokyoNights = new(new TimeOnly(20, 0), new TimeOnly(8, 0), "Asia/Tokyo");
    private static readonly ChannelTarget Mail = Target(ChannelKind.Email, new ChannelSettings(Host: "smtp.example.com", From: "alerts@example.com")) with { Id = 50 };
    private static readonly ChannelTarget Hook = Target(ChannelKind.Webhook, new ChannelSettings(Url: "https://hooks.example.com/x")) with { Id = 51 };

    private static Alert Opened(DetectionSeverity severity, params long[] rules) => Alert.Open(Finding(severity), rules, Now);

    [Fact]
    public void Page_OnCallPrimaryInQuietHours_StillPaged_DirectContactInQuietHoursSuppressed()
    {
        var context = Context([Rule(1, contacts: [2], channels: [50])], [Contact(1, "Ana", 0, TokyoNights), Contact(2, "Ben", null, TokyoNights)], [Mail]);

        var planned = new NotificationPlanner(context, Now).Page(Opened(DetectionSeverity.High, 1), NotificationReason.Opened, null);

        Assert.Equal(["ana@example.com"], planned.Deliveries.Where(d => d.Channel == ChannelKind.Email).Select(d => d.Recipient));
        var suppressed = Assert.Single(planned.Events);
        Assert.Equal(AlertEventKind.Suppressed, suppressed.Kind);
        Assert.Contains("Ben not notified: quiet hours (20:00–08:00 Asia/Tokyo)", suppressed.Detail, StringComparison.Ordinal);
        Assert.Equal(["contact:1"], planned.Alert.Notified.Keys);
    }

    [Fact]
    public void Page_Critical_BreaksThroughQuietHours()
    {
        var context = Context([Rule(1, onCall: false, contacts: [2], channels: [50])], [Contact(2, "Ben", null, TokyoNights)], [Mail]);

        var planned = new NotificationPlanner(context, Now).Page(Opened(DetectionSeverity.Critical, 1), NotificationReason.Opened, null);

        Assert.Equal(["ben@example.com"], planned.Deliveries.Where(d => d.Channel == ChannelKind.Email).Select(d => d.Recipient));
        Assert.Empty(planned.Events);
    }

    [Fact]
    public void Page_AlreadyToldAtThisSeverity_NotToldAgain_HigherSeverityTellsEveryoneToldBefore()
    {
        var context = Context([Rule(1, contacts: [2], channels: [50, 51])], [Contact(1, "Ana", 0), Contact(2, "Ben")], [Mail, Hook]);
        var planner = new NotificationPlanner(context, Now);
        var first = planner.Page(Opened(DetectionSeverity.High, 1), NotificationReason.Opened, null).Alert;

        var again = planner.Page(first, NotificationReason.SeverityRaised, DetectionSeverity.High);
        var worse = planner.Page(first with { Severity = DetectionSeverity.Critical }, NotificationReason.SeverityRaised, DetectionSeverity.High);

        Assert.DoesNotContain(again.Deliveries, d => d.Channel == ChannelKind.Email);
        Assert.Equal(["ana@example.com", "ben@example.com"], worse.Deliveries.Where(d => d.Channel == ChannelKind.Email).Select(d => d.Recipient).Order());
        Assert.All(worse.Alert.Notified.Values, s => Assert.Equal(DetectionSeverity.Critical, s));
        // Team channels hear every step: in-app and the webhook, once each.
        Assert.Equal([ChannelKind.InApp, ChannelKind.Webhook], worse.Deliveries.Where(d => d.Channel != ChannelKind.Email).Select(d => d.Channel));
    }

    [Fact]
    public void Escalate_SkipsBackupInQuietHours_PagesTheNextOne()
    {
        var context = Context([Rule(1, channels: [50])], [Contact(1, "Ana", 0), Contact(2, "Ben", 1, TokyoNights), Contact(3, "Cleo", 2)], [Mail]);
        var alert = new NotificationPlanner(context, Now).Page(Opened(DetectionSeverity.High, 1), NotificationReason.Opened, null).Alert;

        var escalated = new NotificationPlanner(context, Now.AddMinutes(5)).Escalate(alert, TimeSpan.FromMinutes(5));

        Assert.NotNull(escalated);
        Assert.Equal(2, escalated.Alert.EscalationLevel);
        Assert.Equal(["cleo@example.com"], escalated.Deliveries.Where(d => d.Channel == ChannelKind.Email).Select(d => d.Recipient));
        Assert.Equal([AlertEventKind.Suppressed, AlertEventKind.Escalated], escalated.Events.Select(e => e.Kind));
        Assert.Contains("escalated to Cleo (on-call #3): not acknowledged within 5 min", escalated.Events[1].Detail, StringComparison.Ordinal);
        Assert.Null(new NotificationPlanner(context, Now.AddMinutes(10)).Escalate(escalated.Alert, TimeSpan.FromMinutes(5)));
    }

    [Fact]
    public void Page_NoChannelReachesAPerson_SaysSo()
    {
        var context = Context([Rule(1, inApp: false)], [Contact(1, "Ana", 0)]);

        var planned = new NotificationPlanner(context, Now).Page(Opened(DetectionSeverity.High, 1), NotificationReason.Opened, null);

        Assert.Empty(planned.Deliveries);
        Assert.Contains("no channel reaches Ana", Assert.Single(planned.Events).Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Defaults_SeriesAtMedium_ViralAndTermsAtHigh_OnCallAndInApp()
    {
        var context = Context([], [], [Mail]);

        Assert.Single(context.Matching(3, DetectionSignal.NegativeShare, DetectionSeverity.Medium));
        Assert.Empty(context.Matching(3, DetectionSignal.Volume, DetectionSeverity.Low));
        Assert.Empty(context.Matching(3, DetectionSignal.ViralItem, DetectionSeverity.Medium));
        var viral = Assert.Single(context.Matching(3, DetectionSignal.EmergingTerm, DetectionSeverity.High));
        Assert.True(viral is { OnCall: true, InApp: true, IsDefault: true });
        Assert.Equal([50L], viral.ChannelIds);
    }

    [Fact]
    public void RulesFor_ADisabledRuleCoveringTheTopic_SilencesTheDefaults()
    {
        var silenced = Context([Rule(1) with { TopicId = 3, Enabled = false }], []);

        Assert.Empty(silenced.Matching(3, DetectionSignal.Volume, DetectionSeverity.Critical));
        Assert.Single(silenced.Matching(4, DetectionSignal.Volume, DetectionSeverity.Critical));
    }
}
