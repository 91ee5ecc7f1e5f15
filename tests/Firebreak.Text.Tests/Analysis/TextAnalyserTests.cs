namespace Firebreak.Text.Tests.Analysis;

using Firebreak.Core.Mentions;
using Firebreak.Core.RiskCues;
using Firebreak.Text.Analysis;
using Firebreak.Text.Classification;

public sealed class TextAnalyserTests : IDisposable
{
    private static readonly TextModels Shipped = TextModels.LoadDefault();
    private readonly DirectoryInfo root = Directory.CreateTempSubdirectory("firebreak-wsmodels-");

    [Theory]
    [InlineData("I hate this airline, worst service ever, never flying again #boycott", "en", Sentiment.Negative)]
    [InlineData("Amazing crew, thank you so much, best flight of my life!", "en", Sentiment.Positive)]
    [InlineData("Service horrible, je suis furieux, plus jamais avec eux", "fr", Sentiment.Negative)]
    [InlineData("¡Me encanta esta aerolínea, el mejor viaje de mi vida!", "es", Sentiment.Positive)]
    public void Analyse_ClearText_DetectsLanguageAndSentiment(string text, string language, Sentiment sentiment)
    {
        var mention = Mention(text);

        Analyser(new WorkspaceModels(new WorkspaceModelOptions(), Shipped)).Analyse([mention]);

        Assert.Equal(language, mention.Language);
        Assert.Equal(language, mention.Analysis.DetectedLanguage);
        Assert.Equal(sentiment, mention.Analysis.Sentiment);
        Assert.InRange(mention.Analysis.SentimentConfidence, 0.34, 1.0);
        Assert.NotNull(mention.Analysis.Emotion);
        Assert.Equal(Shipped.Version, mention.Analysis.Analyser);
    }

    [Fact]
    public void Analyse_PlatformLanguageGiven_KeepsItAndStillReportsDetection()
    {
        var mention = Mention("Bonjour tout le monde, quel beau vol aujourd'hui", "en");

        Analyser(new WorkspaceModels(new WorkspaceModelOptions(), Shipped)).Analyse([mention]);

        Assert.Equal("en", mention.Language);
        Assert.Equal("fr", mention.Analysis.DetectedLanguage);
    }

    [Fact]
    public async Task Analyse_RiskCueText_ListsTheCues()
    {
        var mention = Mention("They want me to sue them? Fine, lawyer is on it. Also total scam and still no refund");
        var analyser = Analyser(new WorkspaceModels(new WorkspaceModelOptions(), Shipped));
        await analyser.PrepareAsync(1, CancellationToken.None);

        analyser.Analyse([mention]);

        Assert.Equal(["lawsuit", "refund", "scam"], mention.Analysis.RiskCues.Order());
    }

    [Theory]
    [InlineData("")]
    [InlineData("🛫🛫🛫")]
    [InlineData("\uD800\uDFFF\uD800")]
    public void Analyse_HostileText_DoesNotThrowAndIsUndetermined(string text)
    {
        var mention = Mention(text);

        Analyser(new WorkspaceModels(new WorkspaceModelOptions(), Shipped)).Analyse([mention]);

        Assert.Equal("und", mention.Language);
    }

    [Fact]
    public async Task WorkspaceModels_TrainedFileAppears_IsUsedForThatWorkspaceOnly()
    {
        var options = new WorkspaceModelOptions { Directory = root.FullName };
        var models = new WorkspaceModels(options, Shipped);
        Assert.Same(Shipped, models.For(7));

        // A workspace model that has learned one team's private sense of a word.
        var rows = Enumerable.Range(0, 60).Select(i => new LabelledText(i % 2 == 0 ? "positive" : "negative", i % 2 == 0 ? $"zorbly day {i}" : $"grimwax day {i}"))
            .Concat(Enumerable.Range(0, 20).Select(i => new LabelledText("neutral", $"plain words {i}"))).ToList();
        var custom = new ClassifierTrainer(new TrainingOptions { Epochs = 5, Seed = 3 }).Train(rows, ["negative", "neutral", "positive"]);
        var path = WorkspaceModelOptions.PathFor(root.FullName, 7, "sentiment");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using (var file = File.Create(path))
        {
            custom.Save(file);
        }

        var seven = models.For(7);
        Assert.NotSame(Shipped, seven);
        Assert.NotSame(Shipped.Sentiment, seven.Sentiment);
        Assert.Same(Shipped.Offensive, seven.Offensive);
        Assert.Same(Shipped, models.For(8));

        var mention = Mention("what a zorbly day");
        var analyser = Analyser(models);
        await analyser.PrepareAsync(7, CancellationToken.None);
        analyser.Analyse([mention]);
        Assert.Equal(Sentiment.Positive, mention.Analysis.Sentiment);
        Assert.EndsWith("+ws7", mention.Analysis.Analyser, StringComparison.Ordinal);
    }

    public void Dispose() => root.Delete(recursive: true);

    private static TextAnalyser Analyser(WorkspaceModels models) =>
        new(models, new RiskCueAnalyser(new RiskCueMatcher(new NoSavedCues())));

    private static Mention Mention(string text, string language = "und") => new()
    {
        WorkspaceId = 1,
        Platform = Platform.X,
        ExternalId = "1",
        Kind = MentionKind.Post,
        Author = new MentionAuthor("someone", null, 10, false),
        Text = text,
        Language = language,
        CreatedAt = DateTimeOffset.UnixEpoch,
        CapturedAt = DateTimeOffset.UnixEpoch,
    };

    private sealed class NoSavedCues : IRiskCueStore
    {
        public Task<IReadOnlyList<RiskCue>?> GetAsync(long workspaceId, CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<RiskCue>?>(null);

        public Task SetAsync(long workspaceId, IReadOnlyList<RiskCue>? cues, CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
