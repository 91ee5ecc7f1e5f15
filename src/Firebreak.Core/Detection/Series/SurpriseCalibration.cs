namespace Firebreak.Core.Detection.Series;

/// <summary>
/// Calibrates surprises (nats) against the series' own history of them, in three numbers: how often a
/// surprise exceeds ln 10 (the 10% tail of a well-specified model) and the first two moments of the excess,
/// to which a generalised Pareto tail is fitted by the method of moments (shape clipped to [0, max]). A well
/// specified model keeps its surprises; a series whose big residuals are routine gets them discounted, so
/// scores compare across series and one threshold serves them all.
/// </summary>
internal struct SurpriseCalibration
{
    private double threshold;
    private double rate;
    private double excess;
    private double excessSquare;

    /// <summary>
    /// The calibration of a well-specified model, whose surprises (−ln p) are Exp(1): the tail starts at −ln q,
    /// exceeded a fraction q of the time, with an exponential excess of mean 1.
    /// </summary>
    public static SurpriseCalibration Neutral(double quantile) => new() { threshold = -Math.Log(quantile), rate = quantile, excess = 1, excessSquare = 2 };

    /// <summary>The calibrated surprise of <paramref name="surprise"/>, from what was learned before it; then learns it.</summary>
    public double Calibrate(double surprise, double rateStep, double excessStep, double maximumShape)
    {
        var tail = Math.Clamp(rate, 1e-4, 1);
        var mean = Math.Max(excess, 1e-3);
        var variance = Math.Max(excessSquare - (mean * mean), 1e-9);
        var shape = Math.Clamp(0.5 * (1 - (mean * mean / variance)), 0, maximumShape);

        // The mean excess of a generalised Pareto tail is σ / (1 − ξ).
        var sigma = mean * (1 - shape);
        double calibrated;
        if (surprise <= threshold)
        {
            // Below the tail only the order matters: a straight line from 0 to the tail's start.
            calibrated = surprise * -Math.Log(tail) / threshold;
        }
        else
        {
            var over = surprise - threshold;
            calibrated = -Math.Log(tail) + (shape < 1e-6 ? over / sigma : Math.Log(1 + (shape * over / sigma)) / shape);
        }

        var exceeded = surprise > threshold;
        rate += rateStep * ((exceeded ? 1 : 0) - rate);
        if (exceeded)
        {
            var over = surprise - threshold;
            excess += excessStep * (over - excess);
            excessSquare += excessStep * ((over * over) - excessSquare);
        }

        return calibrated;
    }
}
