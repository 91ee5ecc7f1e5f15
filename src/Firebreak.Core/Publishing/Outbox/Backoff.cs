namespace Firebreak.Core.Publishing.Outbox;

/// <summary>Exponential backoff with ±20% jitter (so many items failing together do not retry together), capped; a platform's own wait wins when longer.</summary>
public static class Backoff
{
    public static TimeSpan Next(int attempts, TimeSpan first, TimeSpan max, TimeSpan? platformAsked, Random random)
    {
        var exponent = Math.Clamp(attempts - 1, 0, 20);
        var raw = Math.Min(first.TotalMilliseconds * Math.Pow(2, exponent), max.TotalMilliseconds);
        var jittered = TimeSpan.FromMilliseconds(raw * (0.8 + (0.4 * random.NextDouble())));
        return platformAsked is { } asked && asked > jittered ? asked : jittered;
    }
}
