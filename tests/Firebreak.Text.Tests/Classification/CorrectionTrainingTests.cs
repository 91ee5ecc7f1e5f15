using Firebreak.Text.Classification;

namespace Firebreak.Text.Tests.Classification;

public sealed class CorrectionTrainingTests
{
    private static readonly string[] Texts =
    [
        "SkyJet moved my flight to gate 12 again",
        "the SkyJet lounge is open until midnight now",
        "boarding for SkyJet SJ123 starts at 6",
        "SkyJet changed the seat map on the app",
        "SkyJet gate 12 queue again",
    ];

    [Fact]
    public async Task TrainWithCorrections_HeavilyWeightedCorrections_FlipThoseTextsAndKeepDev()
    {
        const string Model = "emotion";
        var shared = SharedData.Locate();
        ShippedModels.TextData();
        var shipped = ShippedModels.Get(Model);
        var scratch = new ClassifierScratch();
        var before = Texts.Select(t => shipped.Predict(t, "en", scratch).Label).ToArray();
        // Correct every text to a label the shipped model did not give it.
        var target = shipped.Labels.FirstOrDefault(l => !before.Contains(l, StringComparer.Ordinal))
            ?? throw new InvalidOperationException("Shipped model gave every label.");
        var corrections = Texts.Select(t => new LabelledText(target, t, "en")).ToArray();
        var shippedDev = ClassifierTraining.EvaluateDev(shipped, TextTasks.ForModel(Model), ShippedModels.TextData(), Model).Score;
        var output = Path.Combine(Path.GetTempPath(), $"firebreak-corrections-{Guid.NewGuid():N}.bin");
        try
        {
            var report = await ClassifierTraining.TrainWithCorrectionsAsync(Model, shared, corrections, 20f, output, 1, TextWriter.Null);

            LinearClassifier retrained;
            await using (var stream = File.OpenRead(output))
            {
                retrained = LinearClassifier.Load(stream);
            }

            Assert.All(Texts, t => Assert.Equal(target, retrained.Predict(t, "en", scratch).Label));
            // Dev may not drop by more than a point (it can rise: 374 dev rows make emotion's score jumpy).
            Assert.True(report.Score >= shippedDev - 0.01, $"dev {report.Score:P1} vs shipped {shippedDev:P1}");
            Assert.Equal(shipped.Options, retrained.Options);
            Assert.Equal(shipped.Temperature, retrained.Temperature);
        }
        finally
        {
            File.Delete(output);
        }
    }

    [Fact]
    public async Task TrainWithCorrections_NoCorrections_ReproducesShippedModel()
    {
        // The recipe with nothing appended is the shipped model's own recipe: same bytes.
        const string Model = "hate";
        var shared = SharedData.Locate();
        ShippedModels.TextData();
        var output = Path.Combine(Path.GetTempPath(), $"firebreak-corrections-{Guid.NewGuid():N}.bin");
        try
        {
            await ClassifierTraining.TrainWithCorrectionsAsync(Model, shared, [], output, 1, TextWriter.Null);

            using var expected = new MemoryStream();
            ShippedModels.Get(Model).Save(expected);
            Assert.Equal(expected.ToArray(), await File.ReadAllBytesAsync(output));
        }
        finally
        {
            File.Delete(output);
        }
    }

    [Fact]
    public async Task TrainWithCorrections_UnknownLabel_Throws()
    {
        var corrections = new[] { new LabelledText("furious", "SkyJet again", "en") };

        await Assert.ThrowsAsync<ArgumentException>(() =>
            ClassifierTraining.TrainWithCorrectionsAsync("emotion", "/nonexistent", corrections, "/tmp/x.bin", 1, TextWriter.Null));
    }
}
