using Firebreak.Core.Analysis;
using Firebreak.Core.Mentions;

namespace Firebreak.Storage.Tests;

/// <summary>
/// Sentiment from keywords, so rollup sentiment columns and the sentiment filter see all four values
/// (the default analyser leaves everything Unknown).
/// </summary>
internal sealed class KeywordAnalyser : IMentionAnalyser
{
    public string Name => "keywords-test";

    public void Analyse(ReadOnlySpan<Mention> mentions)
    {
        foreach (var mention in mentions)
        {
            var text = mention.Text;
            var sentiment = text.Contains("awful", StringComparison.OrdinalIgnoreCase) ? Sentiment.Negative
                : text.Contains("great", StringComparison.OrdinalIgnoreCase) ? Sentiment.Positive
                : text.Contains("okay", StringComparison.OrdinalIgnoreCase) ? Sentiment.Neutral
                : Sentiment.Unknown;
            mention.Analysis = sentiment == Sentiment.Unknown ? MentionAnalysis.None : new MentionAnalysis { Sentiment = sentiment, SentimentConfidence = 0.9, Analyser = Name };
        }
    }
}
