using Firebreak.Core.Topics.Query;

namespace Firebreak.Core.Tests.Topics;

public sealed class QueryParserTests
{
    [Theory]
    [InlineData("refund", "refund")]
    [InlineData("Refund", "refund")]
    [InlineData("\"late flight\"", "\"late flight\"")]
    [InlineData("“late flight”", "\"late flight\"")]
    [InlineData("#Boycott", "#boycott")]
    [InlineData("@Acme_Air", "@acme_air")]
    [InlineData("refund AND airline", "AND(refund, airline)")]
    [InlineData("refund airline", "AND(refund, airline)")]
    [InlineData("refund OR chargeback", "OR(refund, chargeback)")]
    [InlineData("refund NOT spam", "AND(refund, NOT(spam))")]
    [InlineData("refund -spam", "AND(refund, NOT(spam))")]
    [InlineData("NOT spam", "NOT(spam)")]
    [InlineData("a OR b c", "OR(a, AND(b, c))")]
    [InlineData("a b OR c d", "OR(AND(a, b), AND(c, d))")]
    [InlineData("(a OR b) c", "AND(OR(a, b), c)")]
    [InlineData("a AND (b AND c)", "AND(a, b, c)")]
    [InlineData("NOT a b", "AND(NOT(a), b)")]
    [InlineData("a NEAR/3 b", "NEAR/3(a, b)")]
    [InlineData("a NEARF/0 b", "NEARF/0(a, b)")]
    [InlineData("a NEAR/2 b c", "AND(NEAR/2(a, b), c)")]
    [InlineData("(refund OR chargeback) NEAR/5 (airline OR flight)", "NEAR/5(OR(refund, chargeback), OR(airline, flight))")]
    [InlineData("a NEAR/2 b NEAR/4 c", "NEAR/4(NEAR/2(a, b), c)")]
    [InlineData("refund*", "refund*")]
    [InlineData("colo?r", "colo?r")]
    [InlineData("#boyc*", "#boyc*")]
    [InlineData("Réfund*", "refund*")]
    [InlineData("lang:FR", "lang:fr")]
    [InlineData("lang:pt-BR", "lang:pt-br")]
    [InlineData("platform:TikTok", "platform:tiktok")]
    [InlineData("platform:twitter", "platform:x")]
    [InlineData("author:@AcmeAir", "author:acmeair")]
    [InlineData("author:acmeair", "author:acmeair")]
    [InlineData("kind:review", "kind:review")]
    [InlineData("followers:>10000", "followers:10001..*")]
    [InlineData("followers:>=10k", "followers:10000..*")]
    [InlineData("followers:<500", "followers:*..499")]
    [InlineData("followers:<=500", "followers:*..500")]
    [InlineData("followers:1000..5000", "followers:1000..5000")]
    [InlineData("followers:42", "followers:42..42")]
    [InlineData("verified:true", "verified:true")]
    [InlineData("verified:no", "verified:false")]
    [InlineData("don't", "\"don t\"")]
    [InlineData("東京", "\"東 京\"")]
    [InlineData("covid-19", "\"covid 19\"")]
    [InlineData("and or near", "AND(and, or, near)")] // keywords are upper case only
    [InlineData("NEARLY done", "AND(nearly, done)")]
    [InlineData("https://acme.com/x", "\"https acme com x\"")]
    [InlineData("\"#boycott acme\"", "\"#boycott acme\"")]
    [InlineData("  refund  ", "refund")]
    public void Parse_ValidQuery_ReturnsCanonicalForm(string query, string expected)
    {
        var result = QueryParser.Parse(query);
        Assert.True(result.Success, result.Error?.Message);
        Assert.Equal(expected, result.Query.ToString());
        Assert.Equal(query, result.Query.Source);
    }

    [Theory]
    [InlineData("", 0, "Empty query")]
    [InlineData("   ", 0, "Empty query")]
    [InlineData("refund AND", 10, "Expected a term, phrase or '(' after 'AND' at position 10")]
    [InlineData("refund AND OR x", 11, "Expected a term, phrase or '(' after 'AND' at position 11")]
    [InlineData("OR refund", 0, "Expected a term, phrase or '(' at position 0")]
    [InlineData("a OR", 4, "after 'OR'")]
    [InlineData("a NOT", 5, "after 'NOT'")]
    [InlineData("ab \"late flight", 3, "Unclosed quote starting at position 3")]
    [InlineData("langg:fr", 0, "Unknown field 'langg' at position 0; expected one of lang, platform, author, kind, followers, verified")]
    [InlineData("(a OR b))", 8, "Unbalanced ')' at position 8")]
    [InlineData(")", 0, "Unbalanced ')' at position 0")]
    [InlineData("x (a OR b", 2, "Missing ')' for the '(' at position 2")]
    [InlineData("()", 1, "Expected a term, phrase or '(' after '(' at position 1")]
    [InlineData("a NEAR/ b", 2, "NEAR/ needs a distance, e.g. NEAR/5")]
    [InlineData("a NEAR b", 2, "NEAR/ needs a distance, e.g. NEAR/5")]
    [InlineData("a NEARF/x b", 2, "NEARF/ needs a distance, e.g. NEARF/5")]
    [InlineData("a NEAR/5000 b", 2, "distance must be between 0 and 1000")]
    [InlineData("a NEAR/3 lang:fr", 2, "NEAR/3 can only join terms, phrases, wildcards and OR groups")]
    [InlineData("(a AND b) NEAR/3 c", 10, "can only join")]
    [InlineData("platform:myspace", 9, "Unknown platform 'myspace' at position 9; expected one of x, facebook")]
    [InlineData("kind:tweet", 5, "Unknown kind 'tweet' at position 5; expected one of post")]
    [InlineData("lang:french!", 5, "Invalid language 'french!'")]
    [InlineData("followers:>lots", 10, "Invalid followers filter '>lots'")]
    [InlineData("followers:500..100", 10, "Invalid followers filter")]
    [InlineData("verified:maybe", 9, "Field 'verified' takes true or false")]
    [InlineData("lang:", 0, "Field 'lang' needs a value at position 5")]
    [InlineData("author:@", 7, "Field 'author' needs a handle")]
    [InlineData("x !!!", 2, "'!!!' has no searchable letters or digits")]
    [InlineData("\"...\"", 0, "\"...\" has no searchable letters or digits")]
    [InlineData("r*", 0, "needs at least 2 letters before the first '*' or '?'")]
    [InlineData("*fund", 0, "'*' is only allowed at the end")]
    [InlineData("ref*und", 0, "'*' is only allowed at the end")]
    [InlineData("re-fu*", 0, "must be a single word")]
    public void Parse_InvalidQuery_ReportsPositionAndMessage(string query, int position, string message)
    {
        var result = QueryParser.Parse(query);
        Assert.False(result.Success);
        Assert.Equal(position, result.Error.Position);
        Assert.Contains(message, result.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_UnknownField_ListsFieldsInExpected()
    {
        var error = QueryParser.Parse("langg:fr").Error!;
        Assert.Equal(5, error.Length);
        Assert.Equal(QueryParser.FieldNames, error.Expected);
    }

    [Fact]
    public void Parse_TooLong_ReportsLimit()
    {
        var result = QueryParser.Parse(new string('a', QueryParser.MaxQueryLength + 1));
        Assert.False(result.Success);
        Assert.Equal(QueryParser.MaxQueryLength, result.Error.Position);
        Assert.Contains("longer than 4096", result.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_TooDeep_ReportsLimitAtTheParen()
    {
        var query = new string('(', 65) + "a" + new string(')', 65);
        var result = QueryParser.Parse(query);
        Assert.False(result.Success);
        Assert.Equal(64, result.Error.Position);
        Assert.Contains("deeper than 64", result.Error.Message, StringComparison.Ordinal);
        Assert.True(QueryParser.Parse(new string('(', 64) + "a" + new string(')', 64)).Success);
    }

    [Fact]
    public void Parse_TooManyNots_ReportsDepth()
    {
        var result = QueryParser.Parse(string.Concat(Enumerable.Repeat("NOT ", 70)) + "a");
        Assert.False(result.Success);
        Assert.Contains("deeper than 64", result.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_TooManyTerms_ReportsLimit()
    {
        var terms = Enumerable.Range(0, 513).Select(i => "t" + i).ToArray();
        var result = QueryParser.Parse(string.Join(" OR ", terms));
        Assert.False(result.Success);
        Assert.Contains("more than 512 terms", result.Error.Message, StringComparison.Ordinal);
        Assert.Equal(string.Join(" OR ", terms[..512]).Length + 4, result.Error.Position);
        Assert.True(QueryParser.Parse(string.Join(" OR ", terms[..512])).Success);
    }

    [Fact]
    public void Parse_RandomGarbage_NeverThrows()
    {
        var random = new Random(1234);
        const string alphabet = "ab AND OR NOT NEAR/2 NEARF/x ()\"'#@*?:-.><=lang platform followers 東ا🔥\uD800";
        for (var i = 0; i < 5000; i++)
        {
            var length = random.Next(0, 40);
            var chars = new char[length];
            for (var k = 0; k < length; k++)
            {
                chars[k] = alphabet[random.Next(alphabet.Length)];
            }

            var result = QueryParser.Parse(new string(chars));
            Assert.True(result.Success ^ (result.Error is not null));
        }
    }
}
