namespace Firebreak.Text.Classification;

/// <summary>How examples are weighted by class.</summary>
public enum ClassWeighting
{
    /// <summary>Every example counts once (times its own weight).</summary>
    None,

    /// <summary>Weight each class by N / (K × N_class), so macro metrics are not dominated by big classes.</summary>
    Balanced,
}

/// <summary>Hyper-parameters of <see cref="ClassifierTrainer"/>.</summary>
public sealed record TrainingOptions
{
    /// <summary>Seed of the shuffling; same data and seed give a byte-identical model.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Passes over the training data.</summary>
    public int Epochs { get; init; } = 10;

    /// <summary>L2 penalty applied to the weights an example touches (sparse, per update).</summary>
    public float L2 { get; init; } = 1e-5f;

    /// <summary>AdaGrad base learning rate.</summary>
    public float LearningRate { get; init; } = 0.2f;

    /// <summary>Class weighting of the loss.</summary>
    public ClassWeighting ClassWeighting { get; init; } = ClassWeighting.Balanced;

    /// <summary>The weights returned are the average of the end-of-epoch weights of this fraction of the last
    /// epochs: averaging smooths the noise of the final SGD steps.</summary>
    public float AverageFraction { get; init; } = 0.5f;

    /// <summary>
    /// NB-SVM style feature scaling (Wang &amp; Manning 2012): each hashed feature is scaled by
    /// (1 − β) + β·|r|, r being its smoothed log-count ratio (class vs rest, on the training rows only; for
    /// binary tasks the ratio of label 1 to label 0). β = this value; 0 disables it. The scales are folded
    /// into the saved weights, so the model file and the scorers do not change.
    /// </summary>
    public float NbScaling { get; init; }

    /// <summary>Featurization (n-grams, buckets).</summary>
    public FeaturizerOptions Features { get; init; } = new();

    /// <summary>Name stored in the model.</summary>
    public string ModelName { get; init; } = "model";
}
