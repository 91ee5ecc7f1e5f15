namespace Firebreak.Text.LanguageId;

/// <summary>Everything a trained model consists of, as stored in the model file.</summary>
/// <param name="Allowed">Row-major [script, label]: whether the label is a candidate when that script dominates.</param>
/// <param name="Stride">Bytes per weight row: the label count rounded up to 16 with at least one spare byte, which
/// holds the row's power-of-two scale exponent (+128).</param>
/// <param name="Weights">Buckets x Stride int8 weights.</param>
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
    sbyte[] Weights)
{
    public static int StrideFor(int labelCount) => ((labelCount + 1 + 15) / 16) * 16;
}
