namespace Firebreak.Core.Detection.Items;

/// <summary>
/// What pace of replies and shares a workspace's authors get for their reach, learned online:
/// log10(1 + pace) ≈ α + β·log10(1 + followers), i.e. pace ≈ a·followers^b, with a robust spread.
/// </summary>
/// <remarks>
/// Exponentially weighted least squares with Huber weights: an observation far off the line (a viral post,
/// captured again and again) moves the fit by at most <see cref="HuberK"/> spreads, so it cannot teach the
/// model that viral is normal. The prior is a fixed set of pseudo-observations on the prior line at two reach
/// levels (1,000 and 1,000,000 followers) that never decays, so a cold model predicts the prior and a warm one
/// is dominated by the workspace's own stream. The spread is an exponentially weighted mean of clipped
/// absolute residuals (×1.25, which is σ for a normal distribution), floored. State: 9 doubles.
/// </remarks>
internal sealed class ReachModel
{
    private const double HuberK = 2.0;
    private const double ClipK = 3.0;
    private const double MeanAbsToSigma = 1.2533;

    private readonly double forget;
    private readonly double minSpread;
    private readonly double priorW;
    private readonly double priorX;
    private readonly double priorY;
    private readonly double priorXx;
    private readonly double priorXy;
    private readonly double priorAbs;

    private double w;
    private double x;
    private double y;
    private double xx;
    private double xy;
    private double absSum;
    private double absWeight;
    private double alpha;
    private double beta;

    public ReachModel(ViralItemOptions options)
    {
        forget = 1.0 - (1.0 / options.MemoryObservations);
        minSpread = options.MinSpread;

        // Half the prior weight at each anchor: two points fix both intercept and slope.
        var half = options.PriorWeight / 2;
        foreach (var followers in (ReadOnlySpan<double>)[1_000, 1_000_000])
        {
            var px = Log(followers);
            var py = Log(options.PriorInteractionsPerFollower * Math.Pow(followers, options.PriorExponent));
            priorW += half;
            priorX += half * px;
            priorY += half * py;
            priorXx += half * px * px;
            priorXy += half * px * py;
        }

        priorAbs = options.PriorWeight * options.PriorSpread / MeanAbsToSigma;
        Solve();
    }

    /// <summary>Observations learned so far (weighted by forgetting; the prior not included).</summary>
    public double Weight => w;

    /// <summary>Spread of log10(1 + pace) around the line, in decades.</summary>
    public double Spread => Math.Max(minSpread, MeanAbsToSigma * (absSum + priorAbs) / (absWeight + priorW));

    public static double Log(double value) => Math.Log10(1.0 + Math.Max(0.0, value));

    /// <summary>Expected log10(1 + pace) for an author with this many followers.</summary>
    public double PredictLog(long followers) => alpha + (beta * Log(followers));

    /// <summary>Expected pace (replies and shares per hour) for an author with this many followers.</summary>
    public double Predict(long followers) => Math.Max(0.0, Math.Pow(10, PredictLog(followers)) - 1.0);

    /// <summary>Learns one observed pace. Call after testing the observation, so it never judges itself.</summary>
    public void Learn(long followers, double pacePerHour)
    {
        var px = Log(followers);
        var py = Log(pacePerHour);
        var residual = py - (alpha + (beta * px));
        var spread = Spread;
        var size = Math.Abs(residual);
        var weight = size <= HuberK * spread ? 1.0 : HuberK * spread / size;

        w = (w * forget) + weight;
        x = (x * forget) + (weight * px);
        y = (y * forget) + (weight * py);
        xx = (xx * forget) + (weight * px * px);
        xy = (xy * forget) + (weight * px * py);
        absSum = (absSum * forget) + Math.Min(size, ClipK * spread);
        absWeight = (absWeight * forget) + 1.0;
        Solve();
    }

    private void Solve()
    {
        var sw = w + priorW;
        var sx = x + priorX;
        var sy = y + priorY;
        var sxx = xx + priorXx;
        var sxy = xy + priorXy;
        var denominator = (sw * sxx) - (sx * sx);

        // Reach barely varies in a young stream; keep the slope where it is until it does.
        if (denominator > 1e-9 * sw * sw)
        {
            beta = Math.Clamp(((sw * sxy) - (sx * sy)) / denominator, 0.0, 1.5);
        }

        alpha = (sy - (beta * sx)) / sw;
    }
}
