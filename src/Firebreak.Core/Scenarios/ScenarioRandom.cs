namespace Firebreak.Core.Scenarios;

/// <summary>
/// xoshiro256** seeded through SplitMix64. Own implementation rather than System.Random because the
/// scenario must be byte-for-byte reproducible across runtime versions and must be cheap per call.
/// </summary>
internal sealed class ScenarioRandom
{
    private ulong s0;
    private ulong s1;
    private ulong s2;
    private ulong s3;

    public ScenarioRandom(ulong seed)
    {
        var x = seed;
        s0 = SplitMix(ref x);
        s1 = SplitMix(ref x);
        s2 = SplitMix(ref x);
        s3 = SplitMix(ref x);
    }

    public static ulong SplitMix(ref ulong state)
    {
        state += 0x9E3779B97F4A7C15UL;
        return Mix(state);
    }

    /// <summary>A bijection on 64 bits: unique inputs give unique, random-looking outputs (used for ids).</summary>
    public static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    public ulong NextUInt64()
    {
        var result = ulong.RotateLeft(s1 * 5, 7) * 9;
        var t = s1 << 17;
        s2 ^= s0;
        s3 ^= s1;
        s1 ^= s2;
        s0 ^= s3;
        s2 ^= t;
        s3 = ulong.RotateLeft(s3, 45);
        return result;
    }

    /// <summary>Uniform in [0, 1).</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform in [0, n) without modulo bias worth caring about (Lemire's multiply-high).</summary>
    public int Next(int n) => (int)Math.BigMul(NextUInt64(), (ulong)n, out _);

    public int Next(int min, int maxExclusive) => min + Next(maxExclusive - min);

    public bool Chance(double p) => NextDouble() < p;

    public T Pick<T>(T[] items) => items[Next(items.Length)];

    /// <summary>Exp(1); 1 - u keeps the argument of Log away from zero.</summary>
    public double NextExponential() => -Math.Log(1.0 - NextDouble());

    /// <summary>Cheap log-normal-ish multiplier around 1 (triangular exponent), good enough for counters.</summary>
    public double NextSpread(double width) => Math.Exp(width * (NextDouble() + NextDouble() - 1.0));
}
