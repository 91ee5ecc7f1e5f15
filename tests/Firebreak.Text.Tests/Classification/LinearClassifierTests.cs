using Firebreak.Text.Classification;

namespace Firebreak.Text.Tests.Classification;

public sealed class LinearClassifierTests
{
    private static readonly TrainingOptions SmallOptions = new()
    {
        Seed = 7,
        Epochs = 3,
        Features = new FeaturizerOptions { BucketBits = 14 },
        ModelName = "small",
    };

    [Theory]
    [InlineData(1)]
    [InlineData(42)]
    public void Train_SameDataAndSeed_GivesIdenticalBytes(int seed)
    {
        var rows = SmallTrainingSet();
        var options = SmallOptions with { Seed = seed };

        var first = Bytes(new ClassifierTrainer(options).Train(rows));
        var second = Bytes(new ClassifierTrainer(options).Train(rows));

        Assert.Equal(first, second);
    }

    [Fact]
    public void Train_NbScalingAndLexicon_SameSeedGivesIdenticalBytesAndRoundTrips()
    {
        var rows = SmallTrainingSet();
        var options = SmallOptions with
        {
            NbScaling = 0.75f,
            Features = SmallOptions.Features with { ExtraFeatures = ExtraFeatures.Lexicon | ExtraFeatures.Deobfuscated },
        };

        var trained = new ClassifierTrainer(options).Train(rows);
        var first = Bytes(trained);
        var second = Bytes(new ClassifierTrainer(options).Train(rows));
        var loaded = LinearClassifier.Load(new MemoryStream(first));

        Assert.Equal(first, second);
        Assert.Equal(2, BitConverter.ToInt32(first, 4)); // format version 2: extra features stored
        Assert.Equal(options.Features, loaded.Options);
        Assert.NotEqual(Bytes(new ClassifierTrainer(SmallOptions).Train(rows)), first);
        foreach (var text in new[] { "so happy today", "you f*cking idiot", "sad and crying" })
        {
            Assert.Equal(
                trained.Predict(text, "en", new ClassifierScratch()).Probabilities.ToArray(),
                loaded.Predict(text, "en", new ClassifierScratch()).Probabilities.ToArray());
        }
    }

    [Fact]
    public void Save_WithoutExtraFeatures_WritesFormatVersion1()
    {
        var bytes = Bytes(new ClassifierTrainer(SmallOptions).Train(SmallTrainingSet()));

        Assert.Equal(1, BitConverter.ToInt32(bytes, 4));
        Assert.Equal(ExtraFeatures.None, LinearClassifier.Load(new MemoryStream(bytes)).Options.ExtraFeatures);
    }

    [Fact]
    public void Train_DifferentSeed_GivesDifferentBytes()
    {
        var rows = SmallTrainingSet();

        var first = Bytes(new ClassifierTrainer(SmallOptions).Train(rows));
        var second = Bytes(new ClassifierTrainer(SmallOptions with { Seed = 8 }).Train(rows));

        Assert.NotEqual(first, second);
    }

    [Fact]
    public void Train_HeavilyWeightedCorrection_ChangesPrediction()
    {
        var rows = SmallTrainingSet();
        const string Text = "zyzzyva quokka";
        var corrected = rows.Append(new LabelledText("optimism", Text, "en", Weight: 50f)).ToArray();

        var prediction = new ClassifierTrainer(SmallOptions).Train(corrected).Predict(Text, "en", new ClassifierScratch());

        Assert.Equal("optimism", prediction.Label);
    }

    [Theory]
    [InlineData("I am so happy today :)", "en")]
    [InlineData("furious!!! #angry", null)]
    [InlineData("", null)]
    public void Save_ThenLoad_PredictsIdentically(string text, string? language)
    {
        var classifier = new ClassifierTrainer(SmallOptions).Train(SmallTrainingSet()).WithCalibration(1.3f, null);
        var bytes = Bytes(classifier);

        var loaded = LinearClassifier.Load(new MemoryStream(bytes));

        var scratch = new ClassifierScratch();
        var expected = classifier.Predict(text, language, scratch).Probabilities.ToArray();
        var actual = loaded.Predict(text, language, scratch).Probabilities.ToArray();
        Assert.Equal(expected, actual);
        Assert.Equal(bytes, Bytes(loaded));
        Assert.Equal(1.3f, loaded.Temperature);
    }

    [Fact]
    public void Load_GarbageStream_ThrowsInvalidData()
    {
        Assert.Throws<InvalidDataException>(() => LinearClassifier.Load(new MemoryStream([1, 2, 3, 4, 5, 6, 7, 8])));
    }

    [Theory]
    [InlineData("sentiment", "I absolutely love this amazing song, best thing ever", "en")]
    [InlineData("sentiment", "Ich hasse diesen schrecklichen Montag", "de")]
    [InlineData("offensive", "@user shut up you stupid bitch", "en")]
    [InlineData("emotion", "So sad and depressed, I miss home #lonely", "en")]
    public void Explain_Text_ReturnsTermsThatOccurInText(string model, string text, string? language)
    {
        var terms = ShippedModels.Get(model).Explain(text, language, new ClassifierScratch());

        Assert.NotEmpty(terms);
        Assert.All(terms, t => Assert.Contains(t.Term, text, StringComparison.Ordinal));
        Assert.All(terms, t => Assert.True(t.Contribution > 0));
    }

    [Fact]
    public void Predict_AfterWarmUp_AllocatesNothing()
    {
        var models = TextTasks.Models.Select(ShippedModels.Get).ToArray();
        var texts = new[] { "I love it 😍 soooo much!!! #happy @user http://x.y", "Das ist nicht gut.", "", "مرحبا" };
        var scratch = new ClassifierScratch();
        foreach (var text in texts)
        {
            foreach (var model in models)
            {
                model.Predict(text, "en", scratch);
            }
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 50; i++)
        {
            foreach (var text in texts)
            {
                foreach (var model in models)
                {
                    model.Predict(text, "de", scratch);
                }
            }
        }

        // None per prediction; a one-off re-JIT of a hot method (tiered compilation) may allocate a few hundred bytes.
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        var predictions = 50 * texts.Length * models.Length;
        Assert.True(allocated < predictions, $"{allocated} bytes over {predictions} predictions");
    }

    private static byte[] Bytes(LinearClassifier classifier)
    {
        using var stream = new MemoryStream();
        classifier.Save(stream);
        return stream.ToArray();
    }

    private static IReadOnlyList<LabelledText> SmallTrainingSet() =>
        SharedData.ReadTsv(Path.Combine(ShippedModels.TextData(), "emotion", "train.tsv"), "en").Take(400).ToArray();
}
