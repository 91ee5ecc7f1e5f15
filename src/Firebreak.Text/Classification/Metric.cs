namespace Firebreak.Text.Classification;

/// <summary>The headline metric of a dataset, as used by its upstream benchmark.</summary>
public enum Metric
{
    /// <summary>Unweighted mean of per-class recall (TweetEval sentiment).</summary>
    MacroRecall,

    /// <summary>Unweighted mean of per-class F1 (scikit-learn average='macro').</summary>
    MacroF1,
}
