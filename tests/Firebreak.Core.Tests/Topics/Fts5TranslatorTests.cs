using Firebreak.Core.Topics.Query;

namespace Firebreak.Core.Tests.Topics;

public sealed class Fts5TranslatorTests
{
    [Theory]
    [InlineData("refund", "\"refund\"")]
    [InlineData("Réfund", "\"refund\"")]
    [InlineData("\"late flight\"", "\"late flight\"")]
    [InlineData("東京", "\"東 京\"")]
    [InlineData("#boycott", "\"boycott\"")] // hashtag specificity widened
    [InlineData("@acme_air", "\"acme\uFF3Fair\"")] // '_' spelled as in search strings
    [InlineData("refund*", "\"refund\" *")]
    [InlineData("colo?r", "\"colo\" *")]
    [InlineData("refund airline", "(\"refund\" AND \"airline\")")]
    [InlineData("refund OR chargeback", "(\"refund\" OR \"chargeback\")")]
    [InlineData("refund NOT spam", "(\"refund\" NOT \"spam\")")]
    [InlineData("refund -spam -scam", "((\"refund\" NOT \"spam\") NOT \"scam\")")]
    [InlineData("refund NOT #spam", "\"refund\"")] // #spam cannot be narrowed: the exclusion is dropped
    [InlineData("refund NOT spam*", "(\"refund\" NOT \"spam\" *)")]
    [InlineData("refund NOT (spam OR #scam)", "(\"refund\" NOT (\"spam\"))")]
    [InlineData("refund NOT (spam lang:fr)", "\"refund\"")]
    [InlineData("refund NEAR/5 airline", "NEAR(\"refund\" \"airline\", 5)")]
    [InlineData("refund NEARF/5 \"big airline\"", "NEAR(\"refund\" \"big airline\", 5)")]
    [InlineData("refund NEAR/5 refund", "(\"refund\" AND \"refund\")")] // shared token: could overlap
    [InlineData("refund* NEAR/5 airline", "(\"refund\" * AND \"airline\")")]
    [InlineData("(refund OR chargeback) NEAR/5 (airline OR flight)", "((\"refund\" OR \"chargeback\") AND (\"airline\" OR \"flight\"))")]
    [InlineData("refund lang:fr platform:tiktok", "\"refund\"")]
    [InlineData("refund OR lang:fr", null)]
    [InlineData("lang:fr", null)]
    [InlineData("NOT spam", null)]
    [InlineData("NOT spam lang:fr", null)]
    [InlineData("(refund lang:fr) OR (airline followers:>10)", "(\"refund\" OR \"airline\")")]
    public void TryTranslate_Query_ReturnsExpression(string query, string? expected)
    {
        var parsed = QueryParser.Parse(query);
        Assert.True(parsed.Success, parsed.Error?.Message);
        Assert.Equal(expected, Fts5Translator.TryTranslate(parsed.Query));
    }
}
