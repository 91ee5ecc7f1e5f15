namespace Firebreak.Core.Tests.RiskCues;

using Firebreak.Core.RiskCues;
using Firebreak.Core.Text;
using Firebreak.Core.Topics.Query;

public sealed class DefaultRiskCuesTests
{
    private static readonly CompiledCues Cues = RiskCueMatcher.Compile(DefaultRiskCues.All);

    [Fact]
    public void DefaultCues_AllParse()
    {
        foreach (var cue in DefaultRiskCues.All)
        {
            var parsed = QueryParser.Parse(cue.Query);
            Assert.True(parsed.Success, $"{cue.Name}: {parsed.Error?.Message}");
        }

        Assert.Equal(DefaultRiskCues.All.Count, Cues.Names.Count);
    }

    [Theory]
    [InlineData("I want a REFUND for this mess", "refund")]
    [InlineData("Still waiting for my refunds, 3 weeks now", "refund")]
    [InlineData("#RefundNow @AuroraAir", "refund")]
    [InlineData("Où est mon remboursement ?", "refund")]
    [InlineData("Saya mau uang kembali sekarang", "refund")]
    [InlineData("Верните деньги! Требую возврат", "refund")]
    [InlineData("أريد استرداد أموالي", "refund")]
    [InlineData("#BoycottAuroraAir starting today", "boycott")]
    [InlineData("Ayo boikot maskapai ini", "boycott")]
    [InlineData("my account was hacked, ignore the last post", "hacked")]
    [InlineData("Akun kami diretas", "hacked")]
    [InlineData("This is pure racism from the crew", "racist")]
    [InlineData("это расизм", "racist")]
    [InlineData("تصرف عنصري من الطاقم", "racist")]
    [InlineData("We're talking to a lawyer about this", "lawsuit")]
    [InlineData("Got food poisoning from the in-flight meal", "food poisoning")]
    [InlineData("Massive data breach at the airline?", "data breach")]
    [InlineData("Total SCAM, never again", "scam")]
    [InlineData("Flight cancelled again", "cancel")]
    [InlineData("Vuelo cancelado otra vez", "cancel")]
    public void Match_MultilingualText_FindsTheCue(string text, string cue)
    {
        Assert.Contains(cue, Find(text));
    }

    [Theory]
    [InlineData("Lovely crew and a smooth landing in Jakarta")]
    [InlineData("Le vol était parfait, merci")]
    [InlineData("Отличный полёт, спасибо")]
    [InlineData("")]
    [InlineData("🛫✈️🛬")]
    public void Match_OrdinaryText_FindsNothing(string text)
    {
        Assert.Empty(Find(text));
    }

    private static List<string> Find(string text)
    {
        var subject = new MatchSubject();
        subject.Load(text, new Tokenizer());
        var found = new List<string>();
        Cues.Match(subject, [], found);
        return found;
    }
}
