namespace Firebreak.Text.Analysis;

using Firebreak.Core.Analysis;
using Firebreak.Core.Mentions;
using Firebreak.Core.RiskCues;
using Firebreak.Text.Classification;
using Firebreak.Text.LanguageId;

/// <summary>
/// Text intelligence for every mention: language (when the platform gave none), sentiment, offensive,
/// hate, emotion and the workspace's risk cues, each with a calibrated confidence. The "why" (top terms)
/// is computed when a person asks for one mention, not at ingest, which keeps ingest allocation-light.
/// </summary>
public sealed class TextAnalyser(WorkspaceModels workspaceModels, RiskCueAnalyser cues) : IMentionAnalyser
{
    private readonly ClassifierScratch scratch = new();
    private readonly LanguageIdScratch languageScratch = new();
    private readonly Prediction[] predictions = new Prediction[4];
    private TextModels models = workspaceModels.Defaults;

    public string Name => models.Version;

    public ValueTask PrepareAsync(long workspaceId, CancellationToken cancellationToken)
    {
        // A workspace that trained on its corrections gets its own classifiers; everyone else the shipped ones.
        models = workspaceModels.For(workspaceId);
        return cues.PrepareAsync(workspaceId, cancellationToken);
    }

    public void Analyse(ReadOnlySpan<Mention> mentions)
    {
        foreach (var mention in mentions)
        {
            mention.Analysis = AnalyseOne(mention);
        }
    }

    private MentionAnalysis AnalyseOne(Mention mention)
    {
        var text = mention.Text.AsSpan();
        var guess = models.Languages.Identify(text, languageScratch);
        if (mention.Language == "und" && !guess.IsUndetermined)
        {
            mention.Language = guess.Language;
        }

        var language = mention.Language == "und" ? null : mention.Language;
        models.Classifiers.PredictAll(text, language, scratch, predictions);
        var sentiment = predictions[0];
        var offensive = predictions[1];
        var hate = predictions[2];
        var emotion = predictions[3];
        EnumNames.TryParseSentiment(sentiment.Label, out var polarity);
        return new MentionAnalysis
        {
            Sentiment = polarity,
            SentimentConfidence = sentiment.Confidence,
            Offensive = offensive.Label == "offensive",
            ToxicityConfidence = offensive.Confidence,
            Hateful = hate.Label == "hate",
            HateConfidence = hate.Confidence,
            Emotion = emotion.Label,
            EmotionConfidence = emotion.Confidence,
            DetectedLanguage = guess.Language,
            LanguageConfidence = guess.Confidence,
            RiskCues = cues.Find(mention),
            Analyser = models.Version,
        };
    }
}
