using Firebreak.Text.Classification;

namespace Firebreak.Text.Tests.Classification;

public sealed class TextFeaturizerTests
{
    private static readonly TextFeaturizer Featurizer = new(new FeaturizerOptions());

    [Theory]
    [InlineData("soooo good", "sooo good")]
    [InlineData("GREAT", "great")]
    [InlineData("Génial", "genial")]
    [InlineData("@alice hi", "@bob hi")]
    [InlineData("see http://a.example/x", "see https://b.example/y?z")]
    [InlineData("don’t", "don't")]
    public void Featurize_EquivalentSurfaceForms_GiveSameFeatures(string a, string b)
    {
        Assert.Equal(Features(a), Features(b));
    }

    [Theory]
    [InlineData("not good", "good")]
    [InlineData("so", "soo")]
    [InlineData("happy", "#happy")]
    public void Featurize_DifferentForms_GiveDifferentFeatures(string a, string b)
    {
        Assert.NotEqual(Features(a), Features(b));
    }

    [Fact]
    public void Featurize_NegationScope_EndsAtPunctuation()
    {
        // "good" after the comma is outside the scope of "not", so it hashes like a plain "good".
        var plain = Features("good");
        var scoped = Features("not bad, good");

        Assert.Contains(plain.Single(f => f.Family == "Word").Id, scoped.Where(f => f.Family == "Word").Select(f => f.Id));
    }

    [Theory]
    [InlineData(":)")]
    [InlineData("😂")]
    [InlineData("<3")]
    public void Featurize_EmojiOrEmoticon_ProducesFeature(string text)
    {
        Assert.NotEmpty(Features(text));
    }

    [Fact]
    public void Featurize_LanguageWordFeatures_DifferByLanguage()
    {
        var featurizer = new TextFeaturizer(new FeaturizerOptions { LanguageWordFeatures = true });

        Assert.NotEqual(Features("gift", "en", featurizer), Features("gift", "de", featurizer));
    }

    [Theory]
    [InlineData("you idiot", "__lex_insult")]
    [InlineData("what a stuuupid idea", "__lex_insult")]
    [InlineData("so furious right now", "__lex_anger")]
    [InlineData("#blessed and happy", "__lex_joy")]
    [InlineData("missing you 😢", "__lex_sadness")]
    public void Featurize_Lexicon_AddsCategoryToken(string text, string category)
    {
        var featurizer = new TextFeaturizer(new FeaturizerOptions { ExtraFeatures = ExtraFeatures.Lexicon });
        var expected = (int)(TextFeaturizer.Hash(category, 0x9E3779B1u) & (uint)(featurizer.Options.Buckets - 1));

        var features = Features(text, "en", featurizer);

        Assert.Contains((expected, "Lexicon"), features);
        Assert.DoesNotContain(Features(text), f => f.Family == "Lexicon");
    }

    [Theory]
    [InlineData("you f*ck", "fuck")]
    [InlineData("what a f**king mess", "fucking")]
    [InlineData("this is sh!t.", "shit")]
    [InlineData("kiss my a$$", "ass")]
    [InlineData("b1tch please", "bitch")]
    [InlineData("f u c k this", "fuck")]
    public void Featurize_Deobfuscated_AddsTheUnmaskedWord(string text, string word)
    {
        var featurizer = new TextFeaturizer(new FeaturizerOptions { ExtraFeatures = ExtraFeatures.Deobfuscated });
        var plain = Features(word, "en", featurizer).Single(f => f.Family == "Word").Id;

        Assert.Contains((plain, "Deobfuscated"), Features(text, "en", featurizer));
    }

    [Theory]
    [InlineData("@user see you at 10:30!! #fun")]
    [InlineData("call 555-1234 or email a@b.com")]
    [InlineData("i am ok, b4 2day")]
    public void Featurize_Deobfuscated_LeavesOrdinaryTextAlone(string text)
    {
        var featurizer = new TextFeaturizer(new FeaturizerOptions { ExtraFeatures = ExtraFeatures.Deobfuscated });

        Assert.DoesNotContain(Features(text, "en", featurizer), f => f.Family == "Deobfuscated");
    }

    [Fact]
    public void Featurize_ExtraFeatures_AreAppendedWithoutChangingTheOthers()
    {
        const string Text = "you stupid f*cking idiot, so angry 😡";
        var plain = new ClassifierScratch();
        var extra = new ClassifierScratch();
        var count = new TextFeaturizer(new FeaturizerOptions()).Featurize(Text, "en", plain);
        new TextFeaturizer(new FeaturizerOptions { ExtraFeatures = ExtraFeatures.Lexicon | ExtraFeatures.Deobfuscated }).Featurize(Text, "en", extra);

        Assert.Equal(count, extra.ExtraStart);
        Assert.True(extra.Count > count);
        Assert.Equal(plain.Ids.AsSpan(0, count).ToArray(), extra.Ids.AsSpan(0, count).ToArray());
        Assert.Equal(plain.Values.AsSpan(0, count).ToArray(), extra.Values.AsSpan(0, count).ToArray());
    }

    private static List<(int Id, string Family)> Features(string text, string? language = null, TextFeaturizer? featurizer = null)
    {
        var scratch = new ClassifierScratch();
        var count = (featurizer ?? Featurizer).Featurize(text, language, scratch, withNames: true);
        return [.. Enumerable.Range(0, count).Select(i => (scratch.Ids[i], scratch.Family[i].ToString())).Order()];
    }
}
