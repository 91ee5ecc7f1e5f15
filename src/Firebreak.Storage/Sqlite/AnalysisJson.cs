namespace Firebreak.Storage.Sqlite;

using System.Text.Json;
using System.Text.Json.Serialization;
using Firebreak.Core.Mentions;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, UseStringEnumConverter = true)]
[JsonSerializable(typeof(MentionAnalysis))]
internal sealed partial class AnalysisJsonContext : JsonSerializerContext;

/// <summary>Analysis results are stored as JSON so the text-intelligence work can add fields without migrations.</summary>
internal static class AnalysisJson
{
    public static string? Write(MentionAnalysis analysis) =>
        ReferenceEquals(analysis, MentionAnalysis.None) ? null : JsonSerializer.Serialize(analysis, AnalysisJsonContext.Default.MentionAnalysis);

    public static MentionAnalysis Read(string? json, Sentiment sentiment)
    {
        if (string.IsNullOrEmpty(json))
        {
            return sentiment == Sentiment.Unknown ? MentionAnalysis.None : new MentionAnalysis { Sentiment = sentiment };
        }

        return JsonSerializer.Deserialize(json, AnalysisJsonContext.Default.MentionAnalysis) ?? MentionAnalysis.None;
    }
}
