using Firebreak.Core.Text;

namespace Firebreak.Core.Tests.Text;

public sealed class TextFolderTests
{
    [Theory]
    [InlineData("Hello World", "hello world")]
    [InlineData("already folded", "already folded")]
    [InlineData("Crème Brûlée", "creme brulee")]
    [InlineData("Ça va? Señor", "ca va? senor")]
    [InlineData("Ångström Øre", "angstrom øre")] // Ø has no decomposition: it is its own letter
    [InlineData("Straße", "strasse")] // ß folds to "ss" like Unicode case folding
    [InlineData("STRASSE ẞ", "strasse ss")]
    [InlineData("İstanbul", "istanbul")] // Turkish dotted capital I loses the dot
    [InlineData("ıi", "ıi")] // dotless ı stays distinct (invariant lower-casing)
    [InlineData("Ёлка ёж", "елка еж")]
    [InlineData("Йогурт мой", "йогурт мой")] // й keeps its breve: a letter, not an accented и
    [InlineData("Ελλάδα ΆΈΉ", "ελλαδα αεη")]
    [InlineData("λόγος", "λογοσ")] // final sigma folds to σ
    [InlineData("مُحَمَّد", "محمد")] // harakat dropped
    [InlineData("أحمد إسلام آمن ٱلله", "احمد اسلام امن الله")]
    [InlineData("مصطفى مدرسة", "مصطفي مدرسه")]
    [InlineData("مـــرحبا", "مرحبا")] // tatweel dropped
    [InlineData("٢٠٢٤ ۱۲۳", "2024 123")]
    [InlineData("ＡＢＣ １２３ ｆｕｌｌ", "abc 123 full")]
    [InlineData("ﬁnance", "finance")]
    [InlineData("H̸̢̛e̵̡͝l̷̨̛l̶͚̈o̴̧͝", "hello")] // zalgo
    [InlineData("a\u200Db\u200Cc\u200Fd\u00ADe", "abcde")] // ZWJ, ZWNJ, RLM, soft hyphen
    [InlineData("I love it 🔥👍🏽", "i love it 🔥👍🏽")] // emoji pass through (the tokenizer skips them)
    [InlineData("𝐁𝐨𝐥𝐝 𝓼𝓬𝓻𝓲𝓹𝓽", "bold script")] // mathematical alphanumerics fold
    [InlineData("東京タワー", "東京タワー")]
    [InlineData("ｶﾀｶﾅ", "カタカナ")]
    [InlineData("한국어", "한국어")] // Hangul stays composed
    [InlineData("", "")]
    public void Fold_Input_ReturnsFolded(string input, string expected)
    {
        Assert.Equal(expected, TextFolder.Fold(input));
    }

    [Theory]
    [InlineData("ab<D800>cd", "abcd")]
    [InlineData("<DC00>start", "start")]
    [InlineData("end<D83D>", "end")]
    [InlineData("<DC00><D800>", "")]
    public void Fold_LoneSurrogate_IsDropped(string input, string expected)
    {
        // Lone surrogates cannot survive attribute metadata, so the table spells them as <XXXX>.
        Assert.Equal(expected, TextFolder.Fold(Surrogates.Expand(input)));
    }

    [Fact]
    public void Fold_AlreadyFolded_ReturnsSameInstance()
    {
        var text = "nothing to change here 123";
        Assert.Same(text, TextFolder.Fold(text));
    }

    [Theory]
    [InlineData("Crème ＡＢＣ مُحَمَّد")]
    [InlineData("plain")]
    [InlineData("𝐁𝐨𝐥𝐝 🔥")]
    public void TryFold_LargeEnoughSpan_MatchesStringFold(string input)
    {
        Span<char> buffer = stackalloc char[input.Length * TextFolder.MaxExpansion];
        Assert.True(TextFolder.TryFold(input, buffer, out var written));
        Assert.Equal(TextFolder.Fold(input), buffer[..written].ToString());
    }

    [Fact]
    public void TryFold_TooSmallSpan_ReturnsFalse()
    {
        Span<char> buffer = stackalloc char[2];
        Assert.False(TextFolder.TryFold("abcdef", buffer, out _));
    }

    [Fact]
    public void FoldInto_ReusedBuffer_GrowsAndAppends()
    {
        var buffer = new char[4];
        var length = TextFolder.FoldInto("ÀBC", ref buffer, 0);
        length = TextFolder.FoldInto(" DÉF ghi", ref buffer, length);
        Assert.Equal("abc def ghi", new string(buffer, 0, length));
    }

    [Fact]
    public void Fold_EveryBmpChar_DoesNotThrowAndIsIdempotent()
    {
        for (var code = 0; code < 0x10000; code++)
        {
            var text = ((char)code).ToString();
            var once = TextFolder.Fold(text);
            if (!char.IsSurrogate((char)code))
            {
                Assert.Equal(once, TextFolder.Fold(once));
            }
        }
    }
}
