namespace Firebreak.Core.Tests.Alerts;

using Firebreak.Core.Alerts;
using Firebreak.Core.Detection;

/// <summary>Publishing safety alerts (a stalled publisher, a rogue post) reach people whatever rules the workspace stored.</summary>
public sealed class PublishingRuleTests
{
    [Theory]
    [InlineData(DetectionSignal.PublisherStalled)]
    [InlineData(DetectionSignal.RoguePost)]
    public void PublishingSignals_MatchTheBuiltInRule_EvenWhenAStoredRuleCoversTheWholeStream(DetectionSignal signal)
    {
        // A workspace-wide stored rule for series signals only: without the built-in rule, nobody would hear of a hacked account.
        var context = AlertSamples.Context([AlertSamples.Rule(1)], [AlertSamples.Contact(1, "Ana", onCallOrder: 0)]);
        var matching = context.Matching(0, signal, DetectionSeverity.Critical);

        var rule = Assert.Single(matching);
        Assert.Equal(DefaultAlertRules.PublishingRuleId, rule.Id);
        Assert.True(rule.OnCall);
        Assert.Equal([rule], context.Resolve([DefaultAlertRules.PublishingRuleId]));
        Assert.DoesNotContain(context.Matching(0, DetectionSignal.Volume, DetectionSeverity.Critical), r => r.Id == DefaultAlertRules.PublishingRuleId);
    }
}
