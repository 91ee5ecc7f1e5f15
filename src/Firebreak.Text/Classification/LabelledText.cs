namespace Firebreak.Text.Classification;

/// <summary>One training or evaluation example.</summary>
/// <param name="Label">The gold label, one of the task's label set.</param>
/// <param name="Text">The raw text (a tweet).</param>
/// <param name="Language">ISO 639-1 code, or null when unknown; language-specific word features use it.</param>
/// <param name="Weight">Loss weight; user corrections are folded in with a weight above 1 so they count more
/// than one crowd-labelled tweet.</param>
public sealed record LabelledText(string Label, string Text, string? Language = null, float Weight = 1f);
