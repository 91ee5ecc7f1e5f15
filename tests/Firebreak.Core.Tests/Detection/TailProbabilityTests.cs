using Firebreak.Core.Detection.Series;

namespace Firebreak.Core.Tests.Detection;

public sealed class TailProbabilityTests
{
    [Theory]
    [InlineData(0.0, 0.5)]
    [InlineData(1.0, 0.15865525393145707)]
    [InlineData(3.0, 0.0013498980316301)]
    [InlineData(-2.0, 0.9772498680518208)]
    public void LogNormalUpper_MatchesTables(double z, double p) =>
        Assert.Equal(p, Math.Exp(TailProbability.LogNormalUpper(z)), 6);

    [Fact]
    public void LogNormalUpper_DoesNotUnderflowFarOut() =>
        Assert.InRange(TailProbability.LogNormalUpper(40), -806, -803);

    [Theory]
    [InlineData(0, 3.0)]
    [InlineData(1, 3.0)]
    [InlineData(5, 3.0)]
    [InlineData(12, 3.0)]
    [InlineData(3, 0.05)]
    [InlineData(60, 40.0)]
    public void LogPoissonUpper_EqualsTheSumOfTheProbabilities(int k, double lambda)
    {
        double below = 0;
        double term = Math.Exp(-lambda);
        for (var i = 0; i < k; i++)
        {
            below += term;
            term *= lambda / (i + 1);
        }

        Assert.Equal(1 - below, Math.Exp(TailProbability.LogPoissonUpper(k, lambda)), 9);
    }

    [Fact]
    public void LogPoissonLower_ComplementsTheUpperTail()
    {
        var upper = Math.Exp(TailProbability.LogPoissonUpper(8, 5));
        var lower = Math.Exp(TailProbability.LogPoissonLower(7, 5));

        Assert.Equal(1, upper + lower, 9);
    }

    [Fact]
    public void LogGamma_MatchesFactorials()
    {
        Assert.Equal(Math.Log(120), TailProbability.LogGamma(6), 10);
        Assert.Equal(0.5 * Math.Log(Math.PI), TailProbability.LogGamma(0.5), 10);
    }
}
