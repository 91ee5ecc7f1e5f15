using System.Text;

namespace Firebreak.Text.Classification;

/// <summary>
/// A multinomial logistic regression over hashed text features, with temperature calibration and, for binary
/// tasks, a tuned decision threshold. Immutable and thread-safe; prediction needs a caller-owned
/// <see cref="ClassifierScratch"/> per thread and allocates nothing after warm-up.
/// </summary>
public sealed class LinearClassifier
{
    /// <summary>Most labels a model may have (bounds the scratch buffers).</summary>
    public const int MaxLabels = 16;

    private const uint Magic = 0x43544246; // "FBTC"
    // Version 1: no extra features. Version 2 adds ExtraFeatures after MaxInputChars; models without extra
    // features are still written as version 1, so their files stay byte-identical and older readers load them.
    private const int FormatVersion = 2;

    private readonly string[] _labels;
    private readonly float[] _weights; // bucket-major: weight of (bucket b, label k) at b * K + k
    private readonly float[] _bias;

    internal LinearClassifier(
        string name, string[] labels, FeaturizerOptions options, float[] weights, float[] bias,
        float temperature, float? threshold)
    {
        if (labels.Length is < 2 or > MaxLabels)
        {
            throw new ArgumentException($"Expected 2..{MaxLabels} labels.", nameof(labels));
        }

        if (weights.Length != options.Buckets * labels.Length || bias.Length != labels.Length)
        {
            throw new ArgumentException("Weight shape does not match buckets × labels.", nameof(weights));
        }

        Name = name;
        _labels = labels;
        Featurizer = new TextFeaturizer(options);
        _weights = weights;
        _bias = bias;
        Temperature = temperature > 0 && float.IsFinite(temperature) ? temperature : 1f;
        Threshold = labels.Length == 2 ? threshold : null;

        // Round to what the file stores (float16), so a trained model and its saved copy predict identically.
        for (var i = 0; i < _weights.Length; i++)
        {
            _weights[i] = (float)(Half)_weights[i];
        }
    }

    /// <summary>Model name (e.g. "sentiment").</summary>
    public string Name { get; }

    /// <summary>Labels in model order.</summary>
    public IReadOnlyList<string> Labels => _labels;

    /// <summary>Featurizer settings the model was trained with.</summary>
    public FeaturizerOptions Options => Featurizer.Options;

    /// <summary>Softmax temperature fitted on out-of-fold predictions.</summary>
    public float Temperature { get; }

    /// <summary>For binary models: predict label 1 when its probability reaches this value.</summary>
    public float? Threshold { get; }

    internal TextFeaturizer Featurizer { get; }

    internal ReadOnlySpan<float> Weights => _weights;

    internal ReadOnlySpan<float> Bias => _bias;

    /// <summary>Returns a copy with a different calibration (weights are shared, they are never mutated).</summary>
    public LinearClassifier WithCalibration(float temperature, float? threshold) =>
        new(Name, _labels, Options, _weights, _bias, temperature, threshold);

    /// <summary>Classifies <paramref name="text"/>; <paramref name="language"/> (ISO 639-1) may be null.</summary>
    public Prediction Predict(ReadOnlySpan<char> text, string? language, ClassifierScratch scratch)
    {
        ArgumentNullException.ThrowIfNull(scratch);
        Featurizer.Featurize(text, language, scratch);
        return Decide(scratch);
    }

    /// <summary>
    /// The terms of <paramref name="text"/> that pushed most toward the predicted label, strongest first.
    /// Character n-gram contributions are credited to the word they came from, so users see words.
    /// </summary>
    public IReadOnlyList<ExplainedTerm> Explain(string text, string? language, ClassifierScratch scratch, int maxTerms = 8)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(scratch);
        Featurizer.Featurize(text, language, scratch, withNames: true);
        var predicted = Decide(scratch).LabelIndex;
        var k = _labels.Length;
        var terms = new Dictionary<string, float>(StringComparer.Ordinal);
        for (var i = 0; i < scratch.Count; i++)
        {
            if (scratch.Family[i] is FeatureFamily.Language or FeatureFamily.Deobfuscated)
            {
                continue; // a prior, or a respelling not tied to one token: not a term of the text
            }

            var row = scratch.Ids[i] * k;
            var mean = 0f;
            for (var c = 0; c < k; c++)
            {
                mean += _weights[row + c];
            }

            var contribution = scratch.Values[i] * (_weights[row + predicted] - (mean / k));
            var name = TextFeaturizer.FeatureName(text, scratch, i);
            terms[name] = terms.GetValueOrDefault(name) + contribution;
        }

        return [.. terms
            .Where(t => t.Value > 0)
            .OrderByDescending(t => t.Value)
            .ThenBy(t => t.Key, StringComparer.Ordinal)
            .Take(maxTerms)
            .Select(t => new ExplainedTerm(t.Key, t.Value))];
    }

    internal void ComputeLogits(ClassifierScratch s, Span<float> logits)
    {
        var k = _labels.Length;
        _bias.AsSpan().CopyTo(logits);
        var weights = _weights;
        var ids = s.Ids;
        var values = s.Values;
        for (var i = 0; i < s.Count; i++)
        {
            var row = ids[i] * k;
            var v = values[i];
            for (var c = 0; c < k; c++)
            {
                logits[c] += v * weights[row + c];
            }
        }
    }

    private Prediction Decide(ClassifierScratch s)
    {
        var k = _labels.Length;
        var logits = s.Logits.AsSpan(0, k);
        ComputeLogits(s, logits);
        return Decide(logits, s.Probabilities, 0);
    }

    /// <summary>Calibrates <paramref name="logits"/> into <paramref name="buffer"/> at <paramref name="offset"/>
    /// and picks the label (threshold for binary models, else the most probable).</summary>
    internal Prediction Decide(ReadOnlySpan<float> logits, float[] buffer, int offset)
    {
        var k = _labels.Length;
        var probabilities = buffer.AsSpan(offset, k);
        Softmax(logits, Temperature, probabilities);
        var best = 0;
        if (Threshold is { } threshold)
        {
            best = probabilities[1] >= threshold ? 1 : 0;
        }
        else
        {
            for (var c = 1; c < k; c++)
            {
                if (probabilities[c] > probabilities[best])
                {
                    best = c;
                }
            }
        }

        return new Prediction(best, _labels[best], probabilities[best], new ReadOnlyMemory<float>(buffer, offset, k));
    }

    internal static void Softmax(ReadOnlySpan<float> logits, float temperature, Span<float> probabilities)
    {
        var max = float.NegativeInfinity;
        foreach (var z in logits)
        {
            max = Math.Max(max, z);
        }

        var sum = 0f;
        for (var c = 0; c < logits.Length; c++)
        {
            var e = MathF.Exp((logits[c] - max) / temperature);
            probabilities[c] = e;
            sum += e;
        }

        for (var c = 0; c < logits.Length; c++)
        {
            probabilities[c] /= sum;
        }
    }

    /// <summary>Writes the model: a small header, then float16 weights (little-endian), no timestamps, so the
    /// same training run gives byte-identical files.</summary>
    public void Save(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
        writer.Write(Magic);
        writer.Write(Options.ExtraFeatures == ExtraFeatures.None ? 1 : FormatVersion);
        writer.Write(Name);
        writer.Write(_labels.Length);
        foreach (var label in _labels)
        {
            writer.Write(label);
        }

        var o = Options;
        writer.Write(o.BucketBits);
        writer.Write(o.MinCharN);
        writer.Write(o.MaxCharN);
        writer.Write(o.WordBigrams);
        writer.Write(o.LanguageWordFeatures);
        writer.Write(o.CharWeight);
        writer.Write(o.MaxInputChars);
        if (o.ExtraFeatures != ExtraFeatures.None)
        {
            writer.Write((int)o.ExtraFeatures);
        }

        writer.Write(Temperature);
        writer.Write(Threshold ?? float.NaN);
        foreach (var b in _bias)
        {
            writer.Write(b);
        }

        var buffer = new byte[_weights.Length * 2];
        for (var i = 0; i < _weights.Length; i++)
        {
            BitConverter.TryWriteBytes(buffer.AsSpan(i * 2), (Half)_weights[i]);
        }

        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("Model files are little-endian.");
        }

        writer.Write(buffer);
    }

    /// <summary>Reads a model written by <see cref="Save"/>.</summary>
    public static LinearClassifier Load(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var reader = new BinaryReader(stream, Encoding.UTF8, leaveOpen: true);
        if (reader.ReadUInt32() != Magic)
        {
            throw new InvalidDataException("Not a Firebreak classifier model.");
        }

        var version = reader.ReadInt32();
        if (version is < 1 or > FormatVersion)
        {
            throw new InvalidDataException($"Unsupported model format version {version}.");
        }

        var name = reader.ReadString();
        var labelCount = reader.ReadInt32();
        if (labelCount is < 2 or > MaxLabels)
        {
            throw new InvalidDataException($"Bad label count {labelCount}.");
        }

        var labels = new string[labelCount];
        for (var i = 0; i < labelCount; i++)
        {
            labels[i] = reader.ReadString();
        }

        var options = new FeaturizerOptions
        {
            BucketBits = reader.ReadInt32(),
            MinCharN = reader.ReadInt32(),
            MaxCharN = reader.ReadInt32(),
            WordBigrams = reader.ReadBoolean(),
            LanguageWordFeatures = reader.ReadBoolean(),
            CharWeight = reader.ReadSingle(),
            MaxInputChars = reader.ReadInt32(),
        };
        if (version >= 2)
        {
            var extras = reader.ReadInt32();
            if ((extras & ~(int)(ExtraFeatures.Deobfuscated | ExtraFeatures.Lexicon)) != 0)
            {
                throw new InvalidDataException($"Unknown extra features {extras}.");
            }

            options = options with { ExtraFeatures = (ExtraFeatures)extras };
        }

        options.Validate();
        var temperature = reader.ReadSingle();
        var threshold = reader.ReadSingle();
        var bias = new float[labelCount];
        for (var i = 0; i < labelCount; i++)
        {
            bias[i] = reader.ReadSingle();
        }

        var count = options.Buckets * labelCount;
        var bytes = reader.ReadBytes(count * 2);
        if (bytes.Length != count * 2)
        {
            throw new InvalidDataException("Model file is truncated.");
        }

        var weights = new float[count];
        var halves = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, Half>(bytes);
        for (var i = 0; i < count; i++)
        {
            weights[i] = (float)halves[i];
        }

        return new LinearClassifier(name, labels, options, weights, bias, temperature, float.IsNaN(threshold) ? null : threshold);
    }

    /// <summary>Loads a shipped model (embedded resource Firebreak.Text.Models.&lt;task&gt;.bin).</summary>
    public static LinearClassifier LoadDefault(string task)
    {
        ArgumentNullException.ThrowIfNull(task);
        var resource = $"Firebreak.Text.Models.{task}.bin";
        using var stream = typeof(LinearClassifier).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException(
                $"No embedded model '{resource}'. Known: {string.Join(", ", typeof(LinearClassifier).Assembly.GetManifestResourceNames())}");
        return Load(stream);
    }
}
