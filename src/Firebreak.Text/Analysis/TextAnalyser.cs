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
        var sentiment = models.Sentiment.Predict(text, language, scratch);
        var sentimentLabel = sentiment.Label;
        var sentimentConfidence = sentiment.Confidence;
        var offensive = models.Offensive.Predict(text, language, scratch);
        var offensiveLabel = offensive.Label;
        var offensiveConfidence = offensive.Confidence;
        var hate = models.Hate.Predict(text, language, scratch);
        var hateLabel = hate.Label;
        var hateConfidence = hate.Confidence;
        var emotion = models.Emotion.Predict(text, language, scratch);
        EnumNames.TryParseSentiment(sentimentLabel, out var polarity);
        return new MentionAnalysis
        {
            Sentiment = polarity,
            SentimentConfidence = sentimentConfidence,
            Offensive = offensiveLabel == "offensive",
            ToxicityConfidence = offensiveConfidence,
            Hateful = hateLabel == "hate",
            HateConfidence = hateConfidence,
            Emotion = emotion.Label,
            EmotionConfidence = emotion.Confidence,
            DetectedLanguage = guess.Language,
            LanguageConfidence = guess.Confidence,
            RiskCues = cues.Find(mention),
            Analyser = models.Version,
        };
    }
}
