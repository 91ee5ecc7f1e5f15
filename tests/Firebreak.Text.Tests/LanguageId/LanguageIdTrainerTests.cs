using Firebreak.Text.LanguageId;

namespace Firebreak.Text.Tests.LanguageId;

public sealed class LanguageIdTrainerTests(SmallModelFixture fixture) : IClassFixture<SmallModelFixture>
{
    [Theory]
    [InlineData(1, 1, true)]
    [InlineData(1, 2, false)]
    public void Train_SameOrDifferentSeed_BytesEqualOnlyForSameSeed(int firstSeed, int secondSeed, bool expectEqual)
    {
        var first = firstSeed == 1 ? fixture.Model : new LanguageIdTrainer().Train(fixture.Rows, SmallModelFixture.SmallOptions(firstSeed));
        var second = new LanguageIdTrainer().Train(fixture.Rows, SmallModelFixture.SmallOptions(secondSeed));

        Assert.Equal(expectEqual, Bytes(first).AsSpan().SequenceEqual(Bytes(second)));
    }

    [Theory]
    [InlineData(500)]
    public void SaveLoad_RoundTrip_SamePredictionsAndBytes(int rows)
    {
        var original = fixture.Model;
        var bytes = Bytes(original);
        using var stream = new MemoryStream(bytes);
        var loaded = LanguageIdentifier.Load(stream);

        Assert.Equal(bytes, Bytes(loaded));
        foreach (var (_, text) in LangIdData.ReadRows(LangIdData.DevPath, rows))
        {
            Assert.Equal(original.Identify(text), loaded.Identify(text));
        }
    }

    [Theory]
    [InlineData(0.8)]
    public void Train_SmallSubset_LearnsSomething(double floor)
    {
        var report = LanguageIdTraining.Evaluate(fixture.Model, LangIdData.DevPath);

        Assert.True(report.Accuracy >= floor, report.Format());
    }

    [Theory]
    [InlineData(new byte[] { 1, 2, 3, 4 })]
    [InlineData(new byte[] { (byte)'F', (byte)'B', (byte)'L', (byte)'A', (byte)'N', (byte)'G', (byte)'I', (byte)'D', 9, 0, 0, 0 })]
    public void Load_CorruptStream_ThrowsInvalidData(byte[] bytes)
    {
        using var stream = new MemoryStream(bytes);

        Assert.ThrowsAny<Exception>(() => LanguageIdentifier.Load(stream));
    }

    [Theory]
    [InlineData(1000)]
    public void Load_TruncatedModel_ThrowsEndOfStream(int keep)
    {
        var bytes = Bytes(fixture.Model)[..keep];
        using var stream = new MemoryStream(bytes);

        Assert.ThrowsAny<IOException>(() => LanguageIdentifier.Load(stream));
    }

    private static byte[] Bytes(LanguageIdentifier model)
    {
        using var stream = new MemoryStream();
        model.Save(stream);
        return stream.ToArray();
    }
}
