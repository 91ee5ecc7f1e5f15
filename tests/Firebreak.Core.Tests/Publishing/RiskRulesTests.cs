namespace Firebreak.Core.Tests.Publishing;

using Firebreak.Core.Publishing;
using Firebreak.Core.Publishing.Posts;

/// <summary>The parts of the risk check that need no analyser: sensitive terms (folded) and suspicious links.</summary>
public sealed class RiskRulesTests
{
    private static readonly SensitiveTerm[] Terms =
    [
        new("shooting", PrePublishLevel.Block, "tragedy"),
        new("crème brûlée", PrePublishLevel.Warn, null),
        new("ass", PrePublishLevel.Warn, null),
        new("حريق", PrePublishLevel.Block, null),
    ];

    [Theory]
    [InlineData("Great SHOOTING tips for photographers!", "shooting")]
    [InlineData("Try our CREME BRULEE today", "crème brûlée")]
    [InlineData("Try our Crème Brûlée today", "crème brûlée")]
    [InlineData("عرض خاص بعد الحريق", "حريق")]
    [InlineData("first-class service", null)]
    [InlineData("a classic", null)]
    [InlineData("sharpshootings", null)]
    public void FindsTermsFoldedOnWordBoundaries(string text, string? expected)
    {
        var found = SensitiveTerms.Find(text, Terms).Select(t => t.Term).ToList();
        if (expected is null)
        {
            Assert.Empty(found);
        }
        else
        {
            Assert.Equal([expected], found);
        }
    }

    [Theory]
    [InlineData("Visit https://example.com/offer", null, null)]
    [InlineData("Visit http://example.com/offer", "link-http", PrePublishLevel.Warn)]
    [InlineData("Visit https://bit.ly/3abc", "link-shortener", PrePublishLevel.Warn)]
    [InlineData("Visit https://192.168.10.4/login", "link-ip-host", PrePublishLevel.Block)]
    [InlineData("Visit https://[2001:db8::1]/login", "link-ip-host", PrePublishLevel.Block)]
    [InlineData("Visit https://xn--pple-43d.com/", "link-homograph", PrePublishLevel.Block)]
    [InlineData("Visit https://аpple.com/", "link-homograph", PrePublishLevel.Block)]
    [InlineData("Visit https://xn--mnchen-3ya.de/", "link-idn", PrePublishLevel.Warn)]
    [InlineData("Read [brand.com](https://brand-login.example.net/x)", "link-mismatch", PrePublishLevel.Block)]
    [InlineData("Read [brand.com](https://www.brand.com/x)", null, null)]
    [InlineData("Read [our offer](https://brand.com/x)", null, null)]
    [InlineData("Log in at https://brand.com@evil.example/", "link-userinfo", PrePublishLevel.Block)]
    [InlineData("Go to www.example.com now", null, null)]
    public void InspectsLinks(string text, string? code, PrePublishLevel? level)
    {
        var findings = LinkInspector.Inspect(text, []).ToList();
        if (code is null)
        {
            Assert.Empty(findings);
        }
        else
        {
            var finding = Assert.Single(findings, f => f.Code == code);
            Assert.Equal(level, finding.Level);
            Assert.False(string.IsNullOrWhiteSpace(finding.Reason));
        }
    }

    [Fact]
    public void AttachedLinksAreInspectedToo() =>
        Assert.Contains(LinkInspector.Inspect("no link in the text", ["http://t.co/x"]), f => f.Code == "link-shortener");

    [Fact]
    public void TermListsAreValidated()
    {
        Assert.Contains(SensitiveTerms.Validate([new("  ", PrePublishLevel.Warn, null)]), i => i.Field == "terms[0].term");
        Assert.Contains(SensitiveTerms.Validate([new("ok", PrePublishLevel.Pass, null)]), i => i.Field == "terms[0].level");
        Assert.Empty(SensitiveTerms.Validate(Terms));
    }
}
