namespace Firebreak.Text.LanguageId;

/// <summary>Everything a trained model consists of, as stored in the model file.</summary>
/// <param name="Allowed">Row-major [script, label]: whether the label is a candidate when that script dominates.</param>
/// <param name="Stride">Bytes per weight row: the label count rounded up to 16 with at least one spare byte, which
/// holds the row's power-of-two scale exponent (+128).</param>
/// <param name="Weights">Buckets x Stride int8 weights.</param>
/// <param name="Pairs">Second-stage binary models for the closest language pairs (id/ms, nb/da).</param>
internal sealed record LanguageIdModelData(
    FeatureConfig Config,
    string[] Labels,
    bool[] Allowed,
    float Temperature,
    float Threshold,
    int MinLetters,
    int MinLettersDense,
    int Stride,
    float[] Bias,
    sbyte[] Weights,
    LanguagePairModel[] Pairs)
{
    public static int StrideFor(int labelCount) => ((labelCount + 1 + 15) / 16) * 16;
}

/// <summary>
/// A binary logistic regression deciding between two close languages, over the same hashed features as the main
/// model but with more buckets and trained only on those two languages' rows. It is consulted when the main
/// model's top two are exactly this pair, and splits their joint probability.
/// </summary>
/// <param name="First">Label index whose log-odds the score is (positive score favours it).</param>
/// <param name="Second">The other label index.</param>
/// <param name="Bits">log2 of the bucket count (at most the model's hash bits).</param>
/// <param name="Scale">Weight of one int8 step.</param>
/// <param name="Bias">Intercept, including the offset chosen on the held-out fold.</param>
/// <param name="Weights">One int8 weight per bucket.</param>
internal sealed record LanguagePairModel(int First, int Second, int Bits, float Scale, float Bias, sbyte[] Weights)
{
    /// <summary>Log-odds of <see cref="First"/> over <see cref="Second"/>; features are hashed at the model's hash bits.</summary>
    public float Score(ReadOnlySpan<int> features)
    {
        var mask = (1 << Bits) - 1;
        var weights = Weights;
        var sum = 0;
        foreach (var feature in features)
        {
            sum += weights[feature & mask];
        }

        return Bias + (Scale * sum / MathF.Sqrt(features.Length));
    }
}
