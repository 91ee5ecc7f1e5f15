namespace Firebreak.Core.Inbox;

using System.Globalization;
using Firebreak.Core.Mentions;

/// <summary>
/// Why a mention ranks where it does: score = negativity × reach × velocity × cues, each factor bounded so one extreme
/// value cannot drown the others, and each kept so the inbox can say why ("negative 0.92 × reach 1.2M × 340/h × cue: legal threat").
/// </summary>
/// <param name="Score">The product of the four factors (0.0025 … 13.5).</param>
/// <param name="Negativity">0.05 (confidently positive) … 1.0 (confidently negative).</param>
/// <param name="Reach">The mention's estimated audience (followers or views).</param>
/// <param name="ReachFactor">log10(1 + reach) / 6, bounded to 0.05 … 1.5 (a million people: 1.0).</param>
/// <param name="PerHour">Interactions (likes + shares + replies) per hour since the post was created (at least a quarter hour).</param>
/// <param name="Velocity">1 + log10(1 + per hour) / 2, capped at 3.</param>
/// <param name="Cues">1 + 0.5 per risk cue (three at most) + 0.75 hateful (or 0.5 offensive) + 0.5 a reply to the brand, capped at 3.</param>
/// <param name="Reasons">What raised the cue multiplier: "cue: legal-threat", "hateful", "reply to the brand".</param>
public sealed record RiskScore(double Score, double Negativity, long Reach, double ReachFactor, double PerHour, double Velocity, double Cues, IReadOnlyList<string> Reasons)
{
    /// <summary>At or above this a mention is high-risk (the stricter response-time target applies).</summary>
    public const double HighRisk = 1.0;

    public bool IsHighRisk => Score >= HighRisk;

    /// <summary>A sentence for people: "negative 0.92 × reach 1.2M × 340/h × cue: legal-threat".</summary>
    public string Why
    {
        get
        {
            var why = string.Create(CultureInfo.InvariantCulture, $"negative {Negativity:0.00} × reach {Compact(Reach)} × {Compact((long)Math.Round(PerHour))}/h");
            return Reasons.Count == 0 ? why : why + " × " + string.Join(", ", Reasons);
        }
    }

    public static string Compact(long value) => value switch
    {
        >= 1_000_000_000 => (value / 1e9).ToString("0.#", CultureInfo.InvariantCulture) + "B",
        >= 1_000_000 => (value / 1e6).ToString("0.#", CultureInfo.InvariantCulture) + "M",
        >= 10_000 => (value / 1e3).ToString("0", CultureInfo.InvariantCulture) + "k",
        >= 1_000 => (value / 1e3).ToString("0.#", CultureInfo.InvariantCulture) + "k",
        _ => value.ToString(CultureInfo.InvariantCulture),
    };
}

/// <summary>The inbox's risk ranking: pure, so the table of realistic mentions in the tests pins the order.</summary>
public static class RiskRanking
{
    public static RiskScore Score(Mention mention, DateTimeOffset now)
    {
        var analysis = mention.Analysis;
        var confidence = Math.Clamp(analysis.SentimentConfidence, 0, 1);
        var negativity = analysis.Sentiment switch
        {
            Sentiment.Negative => 0.6 + (0.4 * confidence),
            Sentiment.Neutral => 0.35 - (0.15 * confidence),
            Sentiment.Positive => 0.15 - (0.1 * confidence),
            _ => 0.4,
        };

        var reach = Math.Max(0, mention.Reach);
        var reachFactor = Math.Clamp(Math.Log10(1 + reach) / 6, 0.05, 1.5);

        var hours = Math.Max((now - mention.CreatedAt).TotalHours, 0.25);
        var interactions = Math.Max(0, mention.Engagement.Likes) + Math.Max(0, mention.Engagement.Shares) + Math.Max(0, mention.Engagement.Replies);
        var perHour = interactions / hours;
        var velocity = Math.Min(1 + (Math.Log10(1 + perHour) / 2), 3);

        var reasons = new List<string>();
        var cues = 1.0;
        foreach (var cue in analysis.RiskCues.Distinct(StringComparer.OrdinalIgnoreCase).Take(3))
        {
            cues += 0.5;
            reasons.Add("cue: " + cue);
        }

        // Hateful text is offensive too: counted once, as the worse of the two.
        if (analysis.Hateful)
        {
            cues += 0.75;
            reasons.Add("hateful");
        }

        else if (analysis.Offensive)
        {
            cues += 0.5;
            reasons.Add("offensive");
        }

        if (IsReplyToBrand(mention))
        {
            cues += 0.5;
            reasons.Add("reply to the brand");
        }

        cues = Math.Min(cues, 3);
        return new RiskScore(negativity * reachFactor * velocity * cues, negativity, reach, reachFactor, perHour, velocity, cues, reasons);
    }

    /// <summary>
    /// Someone answering (a reply, a comment under a post, a DM): it waits for the brand. The brand's own handles are not
    /// known here, so every answer counts; a direct message always does.
    /// </summary>
    public static bool IsReplyToBrand(Mention mention) =>
        mention.Kind == MentionKind.DirectMessage || (mention.Kind is MentionKind.Reply or MentionKind.Comment && mention.ParentExternalId is not null);

    /// <summary>Highest score first; ties: the older mention first (it has waited longer), then the id.</summary>
    public static IReadOnlyList<(Mention Mention, RiskScore Risk)> Rank(IEnumerable<Mention> mentions, DateTimeOffset now) =>
        [.. mentions.Select(m => (Mention: m, Risk: Score(m, now)))
            .OrderByDescending(x => x.Risk.Score).ThenBy(x => x.Mention.CreatedAt).ThenBy(x => x.Mention.Id)];
}
