namespace Firebreak.Text.Analysis;

using Firebreak.Text.Classification;
using Firebreak.Text.LanguageId;

/// <summary>
/// The shipped models, loaded once from the assembly: language identification and the four classifiers.
/// Immutable and shared by every analyser thread (each keeps its own scratch buffers).
/// </summary>
public sealed class TextModels
{
    public TextModels(LanguageIdentifier languages, LinearClassifier sentiment, LinearClassifier offensive, LinearClassifier hate, LinearClassifier emotion, string version = "firebreak-text/1")
    {
        Version = version;
        Languages = languages;
        Sentiment = sentiment;
        Offensive = offensive;
        Hate = hate;
        Emotion = emotion;

        // One featurization scores all four: the analyser's hot path.
        Classifiers = new TextClassifiers(sentiment, offensive, hate, emotion);
    }

    /// <summary>The four classifiers sharing one featurization per text (sentiment, offensive, hate, emotion).</summary>
    public TextClassifiers Classifiers { get; }

    public LanguageIdentifier Languages { get; }

    public LinearClassifier Sentiment { get; }

    public LinearClassifier Offensive { get; }

    public LinearClassifier Hate { get; }

    public LinearClassifier Emotion { get; }

    /// <summary>Version stamp stored with every analysis, so a label can be traced to the models that gave it.</summary>
    public string Version { get; }

    public static TextModels LoadDefault() => new(
        LanguageIdentifier.LoadDefault(),
        LinearClassifier.LoadDefault("sentiment"),
        LinearClassifier.LoadDefault("offensive"),
        LinearClassifier.LoadDefault("hate"),
        LinearClassifier.LoadDefault("emotion"));

    /// <summary>The classifier for a correctable task name (sentiment, offensive, hate, emotion).</summary>
    public LinearClassifier ForTask(string task) => task switch
    {
        "sentiment" => Sentiment,
        "offensive" => Offensive,
        "hate" => Hate,
        "emotion" => Emotion,
        _ => throw new ArgumentOutOfRangeException(nameof(task), task, "use sentiment, offensive, hate or emotion"),
    };
}
