namespace Firebreak.Text.Classification;

/// <summary>One labelled dataset under shared/data/text, evaluated with its own metric.</summary>
/// <param name="Name">Dataset name, e.g. "sentiment-multi/de".</param>
/// <param name="RelativeDirectory">Directory relative to shared/data/text holding train.tsv and dev.tsv.</param>
/// <param name="Language">Language of every row (passed to the classifier), or null.</param>
/// <param name="Metric">Headline metric.</param>
public sealed record TaskDataset(string Name, string RelativeDirectory, string? Language, Metric Metric)
{
    /// <summary>Path of train.tsv below <paramref name="textDataDirectory"/>.</summary>
    public string TrainPath(string textDataDirectory) =>
        Path.Combine(textDataDirectory, RelativeDirectory, "train.tsv");

    /// <summary>Path of dev.tsv below <paramref name="textDataDirectory"/>.</summary>
    public string DevPath(string textDataDirectory) =>
        Path.Combine(textDataDirectory, RelativeDirectory, "dev.tsv");
}

/// <summary>A benchmark task and the shipped model that serves it.</summary>
/// <param name="Name">Task name: sentiment-en, sentiment-multi, offensive, hate, emotion.</param>
/// <param name="Model">Name of the shipped model (Models/&lt;model&gt;.bin) that answers this task.</param>
/// <param name="Labels">Label set in model order.</param>
/// <param name="PositiveLabel">For binary tasks the class a decision threshold applies to, else null.</param>
/// <param name="Datasets">The datasets of the task (one per language for sentiment-multi).</param>
public sealed record TextTask(
    string Name,
    string Model,
    IReadOnlyList<string> Labels,
    string? PositiveLabel,
    IReadOnlyList<TaskDataset> Datasets)
{
    /// <summary>The headline metric (the same for every dataset of a task).</summary>
    public Metric Metric => Datasets[0].Metric;
}

/// <summary>
/// The five tweet classification tasks and the four shipped models. English and multilingual sentiment share
/// one "sentiment" model: trained on all nine sentiment training sets it uses English data to help the small
/// per-language sets (shared character n-grams and emoji), and one model is cheaper to ship and run.
/// </summary>
public static class TextTasks
{
    /// <summary>The languages of the multilingual sentiment benchmark (UMSAB).</summary>
    public static readonly IReadOnlyList<string> SentimentLanguages = ["ar", "de", "en", "es", "fr", "hi", "it", "pt"];

    private static readonly string[] SentimentLabels = ["negative", "neutral", "positive"];

    /// <summary>English tweet sentiment (SemEval 2017 task 4A; TweetEval), macro-averaged recall.</summary>
    public static readonly TextTask SentimentEnglish = new(
        "sentiment-en", "sentiment", SentimentLabels, null,
        [new TaskDataset("sentiment-en", "sentiment-en", "en", Metric.MacroRecall)]);

    /// <summary>Multilingual tweet sentiment (UMSAB, 8 languages), macro-F1 averaged over languages.</summary>
    public static readonly TextTask SentimentMultilingual = new(
        "sentiment-multi", "sentiment", SentimentLabels, null,
        [.. SentimentLanguages.Select(l => new TaskDataset("sentiment-multi/" + l, Path.Combine("sentiment-multi", l), l, Metric.MacroF1))]);

    /// <summary>Offensive language (OffensEval 2019 subtask A), macro-F1.</summary>
    public static readonly TextTask Offensive = new(
        "offensive", "offensive", ["not-offensive", "offensive"], "offensive",
        [new TaskDataset("offensive", "offensive", "en", Metric.MacroF1)]);

    /// <summary>Hate speech against immigrants and women (HatEval 2019), macro-F1.</summary>
    public static readonly TextTask Hate = new(
        "hate", "hate", ["not-hate", "hate"], "hate",
        [new TaskDataset("hate", "hate", "en", Metric.MacroF1)]);

    /// <summary>Emotion (SemEval 2018 Affect in Tweets, four emotions), macro-F1.</summary>
    public static readonly TextTask Emotion = new(
        "emotion", "emotion", ["anger", "joy", "optimism", "sadness"], null,
        [new TaskDataset("emotion", "emotion", "en", Metric.MacroF1)]);

    /// <summary>All five tasks.</summary>
    public static readonly IReadOnlyList<TextTask> All = [SentimentEnglish, SentimentMultilingual, Offensive, Hate, Emotion];

    /// <summary>The shipped model names, each embedded as Firebreak.Text.Models.&lt;name&gt;.bin.</summary>
    public static readonly IReadOnlyList<string> Models = ["sentiment", "offensive", "hate", "emotion"];

    /// <summary>Looks a task up by name.</summary>
    public static TextTask Get(string name) =>
        All.FirstOrDefault(t => t.Name == name) ?? throw new ArgumentException($"Unknown task '{name}'.", nameof(name));

    /// <summary>The tasks a shipped model is trained for and evaluated on.</summary>
    public static IReadOnlyList<TextTask> ForModel(string model)
    {
        var tasks = All.Where(t => t.Model == model).ToArray();
        return tasks.Length > 0 ? tasks : throw new ArgumentException($"Unknown model '{model}'.", nameof(model));
    }
}
