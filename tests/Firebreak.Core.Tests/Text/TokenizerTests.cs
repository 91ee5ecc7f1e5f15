using Firebreak.Core.Text;

namespace Firebreak.Core.Tests.Text;

public sealed class TokenizerTests
{
    private readonly Tokenizer tokenizer = new();

    /// <summary>Tokens joined by '|', hashtags with '#' and handles with '@' in front.</summary>
    internal static string Describe(TokenizedText tokens)
    {
        var parts = new List<string>();
        for (var i = 0; i < tokens.Count; i++)
        {
            var sigil = tokens.Kind(i) switch
            {
                TokenKind.Hashtag => "#",
                TokenKind.Handle => "@",
                _ => string.Empty,
            };
            parts.Add(sigil + tokens.TokenString(i));
        }

        return string.Join("|", parts);
    }

    [Theory]
    [InlineData("Hello, World!", "hello|world")]
    [InlineData("Don't stop", "don|t|stop")] // apostrophes split
    [InlineData("#Boycott @Acme_Air now", "#boycott|@acme_air|now")]
    [InlineData("#boycott_acme rocks", "#boycott_acme|rocks")]
    [InlineData("snake_case word", "snake|case|word")] // '_' only joins inside hashtags and handles
    [InlineData("c# and f#", "c|and|f")] // a '#' after a letter is not a hashtag
    [InlineData("mail bob@example.com", "mail|bob|example|com")]
    [InlineData("#_ #__ @_", "")] // sigil runs without a letter or digit are not tokens
    [InlineData("#2024 #1", "#2024|#1")]
    [InlineData("see https://acme.com/help#refund-policy now", "see|https|acme|com|help|refund|policy|now")]
    [InlineData("www.acme.com/@support #real", "www|acme|com|support|#real")]
    [InlineData("http://x.co/?q=#tag&a=@b end", "http|x|co|q|tag|a|b|end")]
    [InlineData("東京タワー", "東|京|タ|ワ|ー")]
    [InlineData("我爱北京 today", "我|爱|北|京|today")]
    [InlineData("#東京 旅行", "#東京|旅|行")]
    [InlineData("สวัสดีครับ", "ส|ว|ส|ด|ค|ร|บ")] // Thai per char; its vowel marks are folded away
    [InlineData("مرحبا ١٢٣ عالم 45", "مرحبا|123|عالم|45")]
    [InlineData("שלום 2024 עולם", "שלום|2024|עולם")]
    [InlineData("love🔥hate 👍🏽 ok", "love|hate|ok")] // emoji are separators, never tokens
    [InlineData("Привет, МИР! Ёж", "привет|мир|еж")]
    [InlineData("Ｈｅｌｌｏ　ＷＯＲＬＤ", "hello|world")]
    [InlineData("naïve café", "naive|cafe")]
    [InlineData("covid-19 vaccine", "covid|19|vaccine")]
    [InlineData("", "")]
    [InlineData("   \t\n ", "")]
    [InlineData("broken <D800> sur<DC00>rogate", "broken|surrogate")] // lone surrogates are dropped by folding
    [InlineData("𠮷野家", "𠮷|野|家")] // supplementary Han stays one token per char
    public void Tokenize_Text_ProducesTokens(string text, string expected)
    {
        Assert.Equal(expected, Describe(tokenizer.Tokenize(Surrogates.Expand(text))));
    }

    [Fact]
    public void Tokenize_Positions_AreOrdinal()
    {
        var tokens = tokenizer.Tokenize("one #two @three 四五");
        for (var i = 0; i < tokens.Count; i++)
        {
            Assert.Equal(i, tokens.Position(i));
        }

        Assert.Equal(5, tokens.Count);
    }

    [Theory]
    [InlineData("Hello #Boycott @acme_air 東京!", "hello boycott acme\uFF3Fair 東 京")]
    [InlineData("!!! 🔥", "")]
    public void ToSearchString_Tokens_JoinedBySpaces(string text, string expected)
    {
        Assert.Equal(expected, tokenizer.Tokenize(text).ToSearchString());
    }

    [Fact]
    public void ToSearchString_AnyText_HasNoAsciiPunctuation()
    {
        var search = tokenizer.Tokenize("It's #a_b, @c.d (e) [f] \"g\" h-i https://j.k/l?m=n#o").ToSearchString();
        Assert.DoesNotContain(search, c => c < 128 && !char.IsAsciiLetterOrDigit(c) && c != ' ');
        Assert.DoesNotContain("  ", search, StringComparison.Ordinal);
    }

    [Fact]
    public void Tokenize_HugeText_IsCappedAtMaxTokens()
    {
        var text = string.Concat(Enumerable.Repeat("word ", 50_000));
        var tokens = tokenizer.Tokenize(text);
        Assert.Equal(TokenizedText.MaxTokens, tokens.Count);
        Assert.True(tokens.Truncated);
    }

    [Fact]
    public void Tokenize_ReusedOutput_ResetsBetweenTexts()
    {
        var output = new TokenizedText();
        tokenizer.Tokenize("first text here", output);
        tokenizer.Tokenize("second", output);
        Assert.Equal("second", Describe(output));
        Assert.Equal(0, output.Find("second"));
        Assert.Equal(-1, output.Find("first"));
    }

    [Fact]
    public void Find_RepeatedToken_ChainsOccurrencesInOrder()
    {
        var tokens = tokenizer.Tokenize("a b a c a");
        var id = tokens.Find("a");
        var positions = new List<int>();
        for (var i = tokens.FirstOccurrence(id); i >= 0; i = tokens.NextOccurrence(i))
        {
            positions.Add(i);
        }

        Assert.Equal([0, 2, 4], positions);
        Assert.Equal(3, tokens.DistinctCount);
    }
}
