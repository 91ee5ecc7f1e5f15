namespace Firebreak.Core.Detection.Items;

/// <summary>
/// What pace of replies and shares authors of a given reach get, learned online: log10(1 + pace) as a
/// piecewise-linear function of log10(1 + followers), with a robust spread per reach band.
/// </summary>
/// <remarks>
/// <para>Why not one straight line: in log(1 + pace) the relation bends (small accounts sit near zero, big ones
/// follow a·followers^b), and most authors are small, so a single fitted line underestimates the big accounts
/// and every celebrity post looks viral. Instead there is one knot per decade of followers (1, 10, ... 10⁸);
/// a prediction interpolates between the two knots around it, and an observation moves both, in proportion
/// to how close it is, by its residual winsorised at <see cref="ClipK"/> spreads (so a viral post, captured
/// again and again, cannot teach the model that viral is normal).</para>
/// <para>Each knot starts at the prior a·followers^b worth <see cref="ViralItemOptions.PriorWeight"/>
/// observations that never decay, with spread <see cref="ViralItemOptions.PriorSpread"/>; learned evidence
/// decays with a memory of <see cref="ViralItemOptions.MemoryObservations"/> observations per knot, so a
/// new workspace starts sensible and a warm one follows its own stream. The spread is 1.25 × the mean
/// absolute residual (σ for a normal distribution), per knot, because big accounts vary less than small ones.
/// State: 4 doubles per knot, 463 bytes in all (measured). Not thread-safe.</para>
/// </remarks>
internal sealed class ReachModel
{
    private const int Knots = 9;
    private const double ClipK = 2.0;
    private const double MeanAbsToSigma = 1.2533;

    private readonly double priorWeight;
    private readonly double priorAbs;
    private readonly double memory;
    private readonly double minSpread;
    private readonly double[] priorLocation = new double[Knots];
    private readonly double[] weight = new double[Knots];
    private readonly double[] sum = new double[Knots];
    private readonly double[] absSum = new double[Knots];

    public ReachModel(ViralItemOptions options)
    {
        priorWeight = options.PriorWeight;
        priorAbs = options.PriorSpread / MeanAbsToSigma;
        memory = options.MemoryObservations;
        minSpread = options.MinSpread;
        for (var knot = 0; knot < Knots; knot++)
        {
            priorLocation[knot] = Log(options.PriorInteractionsPerFollower * Math.Pow(Math.Pow(10, knot), options.PriorExponent));
        }
    }

    public static double Log(double value) => Math.Log10(1.0 + Math.Max(0.0, value));

    /// <summary>Expected log10(1 + pace) for an author with this many followers.</summary>
    public double PredictLog(long followers)
    {
        var (knot, t) = Locate(followers);
        return ((1 - t) * Location(knot)) + (t * Location(knot + 1));
    }

    /// <summary>Expected pace (replies and shares per hour) for an author with this many followers.</summary>
    public double Predict(long followers) => Math.Max(0.0, Math.Pow(10, PredictLog(followers)) - 1.0);

    /// <summary>Spread of log10(1 + pace) around the prediction, in decades.</summary>
    public double Spread(long followers)
    {
        var (knot, t) = Locate(followers);
        return Math.Max(minSpread, ((1 - t) * KnotSpread(knot)) + (t * KnotSpread(knot + 1)));
    }

    /// <summary>Learns one observed pace. Call after testing the observation, so it never judges itself.</summary>
    public void Learn(long followers, double pacePerHour)
    {
        var (knot, t) = Locate(followers);
        var spread = Spread(followers);
        var residual = Log(pacePerHour) - PredictLog(followers);
        var clipped = Math.Clamp(residual, -ClipK * spread, ClipK * spread);
        Add(knot, 1 - t, clipped, Math.Abs(clipped));
        Add(knot + 1, t, clipped, Math.Abs(clipped));
    }

    /// <summary>The knot at or below the author's reach and how far (0..1) towards the next one.</summary>
    private static (int Knot, double T) Locate(long followers)
    {
        var x = Math.Clamp(Log(followers), 0, Knots - 1);
        var knot = Math.Min((int)x, Knots - 2);
        return (knot, x - knot);
    }

    private double Location(int knot) => (sum[knot] + (priorWeight * priorLocation[knot])) / (weight[knot] + priorWeight);

    private double KnotSpread(int knot) => MeanAbsToSigma * (absSum[knot] + (priorWeight * priorAbs)) / (weight[knot] + priorWeight);

    private void Add(int knot, double share, double residual, double size)
    {
        if (share <= 0)
        {
            return;
        }

        // Moving the knot by its share of the residual: its location plus the residual is what this
        // observation says the knot should be.
        var target = Location(knot) + residual;
        var keep = 1 - (share / memory);
        weight[knot] = (weight[knot] * keep) + share;
        sum[knot] = (sum[knot] * keep) + (share * target);
        absSum[knot] = (absSum[knot] * keep) + (share * size);
    }
}
