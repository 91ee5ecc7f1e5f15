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

    private static List<(int Id, string Family)> Features(string text, string? language = null, TextFeaturizer? featurizer = null)
    {
        var scratch = new ClassifierScratch();
        var count = (featurizer ?? Featurizer).Featurize(text, language, scratch, withNames: true);
        return [.. Enumerable.Range(0, count).Select(i => (scratch.Ids[i], scratch.Family[i].ToString())).Order()];
    }
}
