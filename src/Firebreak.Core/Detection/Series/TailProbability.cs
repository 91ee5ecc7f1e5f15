namespace Firebreak.Core.Detection.Series;

/// <summary>
/// Natural logarithms of tail probabilities, computed in log space so that a one-in-10^300 event does not
/// underflow to 0 (the score must still rank it above a one-in-10^200 one). No allocation, no table.
/// </summary>
public static class TailProbability
{
    private static readonly double LogSqrtTwoPi = 0.5 * Math.Log(2 * Math.PI);

    /// <summary>ln P(Z ≥ z) for a standard normal Z.</summary>
    public static double LogNormalUpper(double z) => z < 0 ? Math.Log(1 - Math.Exp(LogErfc(-z / Math.Sqrt(2)) - Math.Log(2))) : LogErfc(z / Math.Sqrt(2)) - Math.Log(2);

    /// <summary>
    /// ln erfc(x) for x ≥ 0 (Numerical Recipes' Chebyshev fit, fractional error below 1.2e-7 everywhere), which
    /// is naturally a logarithm: erfc(x) = t·exp(−x² + poly(t)).
    /// </summary>
    public static double LogErfc(double x)
    {
        var t = 1.0 / (1.0 + (0.5 * x));
        var poly = -1.26551223 + (t * (1.00002368 + (t * (0.37409196 + (t * (0.09678418 + (t * (-0.18628806 + (t * (0.27886807
            + (t * (-1.13520398 + (t * (1.48851587 + (t * (-0.82215223 + (t * 0.17087277)))))))))))))))));
        return Math.Log(t) - (x * x) + poly;
    }

    /// <summary>ln Γ(x) for x &gt; 0 (Lanczos, g = 7, nine terms; relative error near 1e-15).</summary>
    public static double LogGamma(double x)
    {
        if (x < 0.5)
        {
            // Reflection keeps the series in its accurate range.
            return Math.Log(Math.PI / Math.Abs(Math.Sin(Math.PI * x))) - LogGamma(1 - x);
        }

        x -= 1;
        var a = 0.99999999999980993;
        var t = x + 7.5;
        a += 676.5203681218851 / (x + 1);
        a += -1259.1392167224028 / (x + 2);
        a += 771.32342877765313 / (x + 3);
        a += -176.61502916214059 / (x + 4);
        a += 12.507343278686905 / (x + 5);
        a += -0.13857109526572012 / (x + 6);
        a += 9.9843695780195716e-6 / (x + 7);
        a += 1.5056327351493116e-7 / (x + 8);
        return LogSqrtTwoPi + ((x + 0.5) * Math.Log(t)) - t + Math.Log(a);
    }

    /// <summary>
    /// ln P(X ≥ k) for X ~ Poisson(λ), with k continuous (k ≤ 0 gives 0): the regularised lower incomplete gamma
    /// P(k, λ), which equals the Poisson upper tail at integer k and interpolates smoothly between them, so a
    /// quasi-Poisson count x/φ with dispersion φ has a tail too.
    /// </summary>
    public static double LogPoissonUpper(double k, double lambda)
    {
        if (k <= 0)
        {
            return 0;
        }

        if (lambda <= 0)
        {
            return double.NegativeInfinity;
        }

        if (k > 2_000)
        {
            // Wilson–Hilferty: Gamma(k) is close to normal on the cube-root scale; the series would need thousands of terms.
            var v = 1.0 / (9.0 * k);
            var z = (1 - v - Math.Cbrt(lambda / k)) / Math.Sqrt(v);
            return LogNormalUpper(z);
        }

        return lambda < k + 1 ? LogLowerGammaSeries(k, lambda) : Log1MinusExp(LogUpperGammaFraction(k, lambda));
    }

    /// <summary>ln P(X ≤ k) for X ~ Poisson(λ), k continuous (the lower tail, for drops).</summary>
    public static double LogPoissonLower(double k, double lambda)
    {
        if (lambda <= 0)
        {
            return 0;
        }

        // P(X ≤ k) = Q(k + 1, λ), the regularised upper incomplete gamma.
        var a = k + 1;
        if (a > 2_000)
        {
            var v = 1.0 / (9.0 * a);
            var z = (Math.Cbrt(lambda / a) - (1 - v)) / Math.Sqrt(v);
            return LogNormalUpper(z);
        }

        return lambda < a + 1 ? Log1MinusExp(LogLowerGammaSeries(a, lambda)) : LogUpperGammaFraction(a, lambda);
    }

    /// <summary>ln P(a, x) by its series, for x &lt; a + 1.</summary>
    private static double LogLowerGammaSeries(double a, double x)
    {
        var term = 1.0 / a;
        var sum = term;
        var ap = a;
        for (var n = 0; n < 1_000; n++)
        {
            ap += 1;
            term *= x / ap;
            sum += term;
            if (term < sum * 1e-15)
            {
                break;
            }
        }

        return Math.Log(sum) - x + (a * Math.Log(x)) - LogGamma(a);
    }

    /// <summary>ln Q(a, x) by Lentz's continued fraction, for x ≥ a + 1.</summary>
    private static double LogUpperGammaFraction(double a, double x)
    {
        const double Tiny = 1e-300;
        var b = x + 1 - a;
        var c = 1 / Tiny;
        var d = 1 / b;
        var h = d;
        for (var i = 1; i < 1_000; i++)
        {
            var an = -i * (i - a);
            b += 2;
            d = (an * d) + b;
            d = Math.Abs(d) < Tiny ? Tiny : d;
            c = b + (an / c);
            c = Math.Abs(c) < Tiny ? Tiny : c;
            d = 1 / d;
            var delta = d * c;
            h *= delta;
            if (Math.Abs(delta - 1) < 1e-15)
            {
                break;
            }
        }

        return Math.Log(h) - x + (a * Math.Log(x)) - LogGamma(a);
    }

    /// <summary>ln(1 − e^v) for v ≤ 0, accurate at both ends.</summary>
    private static double Log1MinusExp(double v) => v > -0.693 ? Math.Log(-ExpM1(v)) : Math.Log(1 - Math.Exp(v));

    /// <summary>e^v − 1 without the cancellation of Math.Exp(v) − 1 near 0.</summary>
    private static double ExpM1(double v) => Math.Abs(v) < 1e-5 ? v + (v * v / 2) + (v * v * v / 6) : Math.Exp(v) - 1;
}
