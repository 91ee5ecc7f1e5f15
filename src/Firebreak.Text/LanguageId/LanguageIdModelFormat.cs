using System.Runtime.InteropServices;
using System.Text;

namespace Firebreak.Text.LanguageId;

/// <summary>
/// Binary model file: magic "FBLANGID", version, feature config, thresholds, labels, script masks, temperature,
/// biases, int8 weights, pair models, end marker. Little-endian, no timestamps, so equal models give equal bytes.
/// </summary>
internal static class LanguageIdModelFormat
{
    private const int Version = 2;
    private static readonly byte[] Magic = "FBLANGID"u8.ToArray();
    private static readonly byte[] EndMarker = "END!"u8.ToArray();

    public static void Write(LanguageIdModelData data, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
        writer.Write(Magic);
        writer.Write(Version);
        writer.Write(data.Config.BucketBits);
        writer.Write(data.Config.MinN);
        writer.Write(data.Config.MaxN);
        writer.Write(data.Config.Words);
        writer.Write(data.Config.WordPairs);
        writer.Write(data.Config.HashBits);
        writer.Write(data.MinLetters);
        writer.Write(data.MinLettersDense);
        writer.Write(data.Labels.Length);
        foreach (var label in data.Labels)
        {
            writer.Write(label);
        }

        writer.Write(ScriptInfo.Count);
        foreach (var allowed in data.Allowed)
        {
            writer.Write(allowed);
        }

        writer.Write(data.Temperature);
        writer.Write(data.Threshold);
        writer.Write(data.Stride);
        foreach (var b in data.Bias)
        {
            writer.Write(b);
        }

        writer.Write(MemoryMarshal.AsBytes(data.Weights.AsSpan()));
        writer.Write(data.Pairs.Length);
        foreach (var pair in data.Pairs)
        {
            writer.Write(pair.First);
            writer.Write(pair.Second);
            writer.Write(pair.Bits);
            writer.Write(pair.Scale);
            writer.Write(pair.Bias);
            writer.Write(MemoryMarshal.AsBytes(pair.Weights.AsSpan()));
        }

        writer.Write(EndMarker);
    }

    public static LanguageIdModelData Read(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var reader = new BinaryReader(stream, Encoding.UTF8, leaveOpen: true);
        if (!reader.ReadBytes(Magic.Length).AsSpan().SequenceEqual(Magic))
        {
            throw new InvalidDataException("Not a Firebreak language-id model (bad magic).");
        }

        var version = reader.ReadInt32();
        if (version != Version)
        {
            throw new InvalidDataException($"Unsupported language-id model version {version}.");
        }

        var bucketBits = reader.ReadInt32();
        var minN = reader.ReadInt32();
        var maxN = reader.ReadInt32();
        var words = reader.ReadBoolean();
        var wordPairs = reader.ReadBoolean();
        var hashBits = reader.ReadInt32();
        var minLetters = reader.ReadInt32();
        var minLettersDense = reader.ReadInt32();
        var labelCount = reader.ReadInt32();
        if (bucketBits is < 8 or > 24 || hashBits is < 0 or > 24 || minN < 1 || maxN < minN || maxN > 8 || labelCount is < 1 or >= LanguageIdScratch.MaxLabels)
        {
            throw new InvalidDataException("Corrupt language-id model header.");
        }

        var labels = new string[labelCount];
        for (var i = 0; i < labelCount; i++)
        {
            labels[i] = string.Intern(reader.ReadString());
        }

        if (reader.ReadInt32() != ScriptInfo.Count)
        {
            throw new InvalidDataException("Language-id model was written with a different script table.");
        }

        var allowed = new bool[ScriptInfo.Count * labelCount];
        for (var i = 0; i < allowed.Length; i++)
        {
            allowed[i] = reader.ReadBoolean();
        }

        var temperature = reader.ReadSingle();
        var threshold = reader.ReadSingle();
        var stride = reader.ReadInt32();
        if (stride != LanguageIdModelData.StrideFor(labelCount) || !(temperature > 0f))
        {
            throw new InvalidDataException("Corrupt language-id model header.");
        }

        var bias = new float[stride];
        for (var i = 0; i < stride; i++)
        {
            bias[i] = reader.ReadSingle();
        }

        var weights = new sbyte[(1 << bucketBits) * stride];
        stream.ReadExactly(MemoryMarshal.AsBytes(weights.AsSpan()));
        var config = new FeatureConfig(bucketBits, minN, maxN, words, wordPairs, hashBits);
        var pairCount = reader.ReadInt32();
        if (pairCount is < 0 or > 16)
        {
            throw new InvalidDataException("Corrupt language-id model pair table.");
        }

        var pairs = new LanguagePairModel[pairCount];
        for (var p = 0; p < pairCount; p++)
        {
            var first = reader.ReadInt32();
            var second = reader.ReadInt32();
            var bits = reader.ReadInt32();
            var scale = reader.ReadSingle();
            var pairBias = reader.ReadSingle();
            if (first < 0 || first >= labelCount || second < 0 || second >= labelCount || first == second
                || bits < 8 || (1u << bits) - 1 > config.HashMask || !float.IsFinite(scale) || !float.IsFinite(pairBias))
            {
                throw new InvalidDataException("Corrupt language-id model pair table.");
            }

            var pairWeights = new sbyte[1 << bits];
            stream.ReadExactly(MemoryMarshal.AsBytes(pairWeights.AsSpan()));
            pairs[p] = new LanguagePairModel(first, second, bits, scale, pairBias, pairWeights);
        }

        if (!reader.ReadBytes(EndMarker.Length).AsSpan().SequenceEqual(EndMarker))
        {
            throw new InvalidDataException("Truncated language-id model.");
        }

        return new LanguageIdModelData(
            config, labels, allowed, temperature, threshold, minLetters, minLettersDense, stride, bias, weights, pairs);
    }
}
