using Firebreak.Text.Classification;

namespace Firebreak.Text.Tests.Classification;

public sealed class TextClassifiersTests
{
    private static readonly Lazy<TextClassifiers> Shipped = new(() => new TextClassifiers(
        ShippedModels.Get("sentiment"), ShippedModels.Get("offensive"), ShippedModels.Get("hate"), ShippedModels.Get("emotion")));

    private static readonly string?[] Languages = ["en", null, "de", "ar", "hi"];

    [Fact]
    public void PredictAll_ShippedModels_SharesOneFeaturization()
    {
        Assert.True(Shipped.Value.SharesFeaturization);
        Assert.Equal(TextTasks.Models, Shipped.Value.Models.Select(m => m.Name));
    }

    [Fact]
    public void PredictAll_ShippedModels_MatchesEachModelsOwnPredict()
    {
        var texts = SampleTexts();
        var set = Shipped.Value;
        var scratch = new ClassifierScratch();
        var own = new ClassifierScratch();
        var results = new Prediction[4];
        var labelMismatches = 0;
        for (var t = 0; t < texts.Count; t++)
        {
            var language = Languages[t % Languages.Length];
            set.PredictAll(texts[t], language, scratch, results);
            for (var m = 0; m < 4; m++)
            {
                var expected = set.Models[m].Predict(texts[t], language, own);
                var actual = results[m];
                for (var c = 0; c < expected.Probabilities.Length; c++)
                {
                    Assert.Equal(expected.Probabilities.Span[c], actual.Probabilities.Span[c], 3e-4f);
                }

                // Summation order differs, so a probability sitting exactly on a decision boundary may flip.
                labelMismatches += expected.Label == actual.Label ? 0 : 1;
            }
        }

        Assert.True(labelMismatches <= 1, $"{labelMismatches} label mismatches");
    }

    [Fact]
    public void PredictAll_IncompatibleOptions_FallsBackToOneFeaturizationPerModel()
    {
        var rows = new[]
        {
            new LabelledText("a", "good great lovely", "en"), new LabelledText("b", "bad awful terrible", "en"),
            new LabelledText("a", "great day :)", "en"), new LabelledText("b", "awful day :(", "en"),
        };
        var first = new ClassifierTrainer(new TrainingOptions { Epochs = 3, Features = new FeaturizerOptions { BucketBits = 12 } }).Train(rows);
        var second = new ClassifierTrainer(new TrainingOptions { Epochs = 3, Features = new FeaturizerOptions { BucketBits = 12, MaxCharN = 3 } }).Train(rows);
        var set = new TextClassifiers([first, second]);
        var scratch = new ClassifierScratch();
        var results = new Prediction[2];

        set.PredictAll("what a great day", "en", scratch, results);

        Assert.False(set.SharesFeaturization);
        Assert.Equal(first.Predict("what a great day", "en", new ClassifierScratch()).Probabilities.ToArray(), results[0].Probabilities.ToArray());
        Assert.Equal(second.Predict("what a great day", "en", new ClassifierScratch()).Probabilities.ToArray(), results[1].Probabilities.ToArray());
    }

    [Fact]
    public void PredictAll_ModelsWithDifferentExtraFeatures_ShareFeaturizationAndMatchOwnPredict()
    {
        // Same bucket count, so all three share one weight table; only some read the extra features.
        var none = RandomModel("none", 3, ExtraFeatures.None, 1);
        var lexicon = RandomModel("lexicon", 2, ExtraFeatures.Lexicon, 2);
        var both = RandomModel("both", 4, ExtraFeatures.Lexicon | ExtraFeatures.Deobfuscated, 3);
        var set = new TextClassifiers([none, lexicon, both]);
        var scratch = new ClassifierScratch();
        var results = new Prediction[3];

        Assert.True(set.SharesFeaturization);
        foreach (var text in new[] { "you f*cking idiot 😡", "so happy and blessed", "f u c k", "plain words only", "" })
        {
            set.PredictAll(text, "en", scratch, results);
            for (var m = 0; m < 3; m++)
            {
                var expected = set.Models[m].Predict(text, "en", new ClassifierScratch()).Probabilities.ToArray();
                var actual = results[m].Probabilities.ToArray();
                for (var c = 0; c < expected.Length; c++)
                {
                    Assert.Equal(expected[c], actual[c], 1e-4f);
                }
            }
        }
    }

    private static LinearClassifier RandomModel(string name, int labels, ExtraFeatures extras, int seed)
    {
        var options = new FeaturizerOptions { BucketBits = 12, ExtraFeatures = extras };
        var random = new Random(seed);
        var weights = new float[options.Buckets * labels];
        for (var i = 0; i < weights.Length; i++)
        {
            weights[i] = (float)(random.NextDouble() - 0.5) * 4f;
        }

        return new LinearClassifier(name, [.. Enumerable.Range(0, labels).Select(i => "l" + i)], options, weights, new float[labels], 1f, null);
    }

    [Fact]
    public void PredictAll_AfterWarmUp_AllocatesNothing()
    {
        var texts = SampleTexts();
        var set = Shipped.Value;
        var scratch = new ClassifierScratch();
        var results = new Prediction[4];
        foreach (var text in texts)
        {
            set.PredictAll(text, "en", scratch, results);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var t = 0; t < texts.Count; t++)
        {
            set.PredictAll(texts[t], Languages[t % Languages.Length], scratch, results);
        }

        // None per text; a one-off re-JIT of a hot method (tiered compilation) may allocate a few hundred bytes.
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated < texts.Count, $"{allocated} bytes over {texts.Count} texts");
    }

    [Fact]
    public void PredictAll_ResultsTooShort_Throws()
    {
        var results = new Prediction[3];

        Assert.Throws<ArgumentException>(() => Shipped.Value.PredictAll("hello", "en", new ClassifierScratch(), results));
    }

    private static List<string> SampleTexts()
    {
        var dev = SharedData.ReadTsv(Path.Combine(ShippedModels.TextData(), "offensive", "dev.tsv"), "en");
        var texts = dev.Take(400).Select(r => r.Text).ToList();
        texts.AddRange(
        [
            "", " ", "😡😡😡", "Merci SkyJet pour ce vol super agréable vers Paris 😍", "@user http://t.co/x #BoycottSkyJet!!!",
            "Encore 3h de retard sur le SJ123... sérieux SkyJet 😡", "ما هذا التأخير يا سكاي جيت", "बहुत बुरा अनुभव", new string('a', 5000),
        ]);
        return texts;
    }
}
