namespace Firebreak.Core.Detection.Terms;

/// <summary>How surprising a count is under a Poisson expectation.</summary>
internal static class BurstStatistics
{
    /// <summary>
    /// Signed square root of the Poisson deviance, sqrt(2·(c·ln(c/μ) − (c − μ))): a z-score whose upper tail
    /// is close to the exact Poisson tail even for small counts (z = 5 is about p = 3·10⁻⁷), at the cost of
    /// one logarithm instead of a sum over the tail. Negative when the count is below its expectation.
    /// </summary>
    public static double DevianceZ(double count, double expected)
    {
        if (count <= 0)
        {
            return -Math.Sqrt(2 * expected);
        }

        var deviance = 2 * ((count * Math.Log(count / expected)) - (count - expected));
        var z = Math.Sqrt(Math.Max(0, deviance));
        return count >= expected ? z : -z;
    }
}
