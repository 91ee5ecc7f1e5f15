using Firebreak.Text.Classification;

namespace Firebreak.Text.Tests.Classification;

/// <summary>Loads the four shipped models once per test run: loading is cheap but not free, and every test
/// class needs them.</summary>
public sealed class ShippedModels
{
    private static readonly Lazy<IReadOnlyDictionary<string, LinearClassifier>> Models = new(
        () => TextTasks.Models.ToDictionary(m => m, LinearClassifier.LoadDefault));

    public static LinearClassifier Get(string model) => Models.Value[model];

    /// <summary>The shared data/text directory. Fails (never skips) when absent, so a missing checkout of the
    /// data cannot make the accuracy floors silently pass.</summary>
    public static string TextData()
    {
        try
        {
            return SharedData.TextDataDirectory(SharedData.Locate());
        }
        catch (DirectoryNotFoundException e)
        {
            Assert.Fail($"Tweet data is required for the classifier accuracy tests (../shared/data/text or " +
                $"{SharedData.EnvironmentVariable}): {e.Message}");
            throw;
        }
    }
}
