using System.Diagnostics;
using Firebreak.Text.Classification;

namespace Firebreak.Text.Tests.Classification;

public sealed class ShippedModelTests
{
    // Floors sit a little below the dev scores of the shipped models (see the training log) so a regression
    // fails while float noise does not. Dev is used for reporting only, never for choosing settings.
    [Theory]
    [InlineData("sentiment-en", 0.655)]
    [InlineData("sentiment-multi", 0.575)]
    [InlineData("offensive", 0.735)]
    [InlineData("hate", 0.71)]
    [InlineData("emotion", 0.68)]
    public void Evaluate_ShippedModelOnDev_MeetsFloor(string taskName, double floor)
    {
        var textData = ShippedModels.TextData();
        var task = TextTasks.Get(taskName);
        var classifier = ShippedModels.Get(task.Model);

        var report = ClassifierTraining.EvaluateDev(classifier, [task], textData, task.Name);

        Assert.True(report.Score >= floor, $"{taskName}: {report.Score:P1} < floor {floor:P1}\n{report.Format()}");
    }

    [Theory]
    [InlineData("sentiment")]
    [InlineData("offensive")]
    [InlineData("hate")]
    [InlineData("emotion")]
    public void LoadDefault_ShippedModel_LoadsQuicklyAndFitsSizeBudget(string model)
    {
        LinearClassifier.LoadDefault(model); // warm-up: JIT and resource lookup are not what is measured
        var clock = Stopwatch.StartNew();
        var classifier = LinearClassifier.LoadDefault(model);
        clock.Stop();

        using var stream = new MemoryStream();
        classifier.Save(stream);
        // A gross-regression guard only; the load-time figure comes from `firebreak bench text`.
        Assert.True(clock.ElapsedMilliseconds < 3_000, $"load took {clock.ElapsedMilliseconds} ms");
        Assert.True(stream.Length <= 4 * 1024 * 1024, $"{model} is {stream.Length} bytes");
        Assert.Equal(TextTasks.ForModel(model)[0].Labels, classifier.Labels);
    }

    [Fact]
    public void LoadDefault_UnknownModel_ThrowsWithResourceName()
    {
        var error = Assert.Throws<InvalidOperationException>(() => LinearClassifier.LoadDefault("nope"));

        Assert.Contains("Firebreak.Text.Models.nope.bin", error.Message, StringComparison.Ordinal);
    }
}
