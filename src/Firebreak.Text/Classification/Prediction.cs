namespace Firebreak.Text.Classification;

/// <summary>The outcome of one classification.</summary>
/// <param name="LabelIndex">Index of <paramref name="Label"/> in the classifier's label list.</param>
/// <param name="Label">The predicted label.</param>
/// <param name="Confidence">Calibrated probability of the predicted label (temperature-scaled on
/// out-of-fold predictions, so about that fraction of predictions made with it are right).</param>
/// <param name="Probabilities">Calibrated probability per label, in label order. It views the scratch's
/// buffer (so predicting allocates nothing) and is overwritten by the next prediction with the same scratch:
/// copy it if you need it longer.</param>
public readonly record struct Prediction(int LabelIndex, string Label, float Confidence, ReadOnlyMemory<float> Probabilities);

/// <summary>One term of an explanation.</summary>
/// <param name="Term">The words of the input text the feature came from (a word, a two-word phrase, a hashtag
/// or an emoji).</param>
/// <param name="Contribution">Summed weight×value of the term's features toward the predicted label, relative
/// to the mean over labels (positive pushes toward the label).</param>
public sealed record ExplainedTerm(string Term, float Contribution);
