namespace Firebreak.Core.Alerts;

/// <summary>
/// When to try a failed delivery again: exponential backoff from <see cref="AlertOptions.RetryBase"/>, doubled per
/// attempt up to <see cref="AlertOptions.RetryMax"/>, with "equal jitter" (half fixed, half random) so receivers
/// coming back from an outage are not hit by every sender at the same instant. A receiver's Retry-After wins
/// (up to <see cref="AlertOptions.MaxRetryAfter"/>) when it is longer.
/// </summary>
public sealed class RetrySchedule(AlertOptions options, Random random)
{
    /// <summary>The delay after failed attempt number <paramref name="attempt"/> (1 for the first).</summary>
    public TimeSpan After(int attempt, TimeSpan? retryAfter)
    {
        var exponent = Math.Min(attempt - 1, 30);
        var full = TimeSpan.FromTicks((long)Math.Min(options.RetryMax.Ticks, options.RetryBase.Ticks * Math.Pow(2, exponent)));
        double draw;
        lock (random)
        {
            draw = random.NextDouble();
        }

        var backoff = full / 2 + full / 2 * draw;
        if (retryAfter is { } asked)
        {
            var honoured = asked < options.MaxRetryAfter ? asked : options.MaxRetryAfter;
            return honoured > backoff ? honoured : backoff;
        }

        return backoff;
    }

    /// <summary>The shortest delay <see cref="After"/> can return for an attempt (for tests and documentation).</summary>
    public TimeSpan Minimum(int attempt) =>
        TimeSpan.FromTicks((long)Math.Min(options.RetryMax.Ticks, options.RetryBase.Ticks * Math.Pow(2, Math.Min(attempt - 1, 30)))) / 2;
}
