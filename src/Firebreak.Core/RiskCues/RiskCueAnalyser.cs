namespace Firebreak.Core.RiskCues;

using Firebreak.Core.Analysis;
using Firebreak.Core.Mentions;
using Firebreak.Core.Text;
using Firebreak.Core.Topics.Query;

/// <summary>
/// Finds the workspace's risk cues in each mention and adds them to its analysis. Used on its own when no
/// text models are loaded, and inside the full text analyser otherwise.
/// </summary>
public sealed class RiskCueAnalyser(RiskCueMatcher matcher) : IMentionAnalyser
{
    private readonly Tokenizer tokenizer = new();
    private readonly MatchSubject subject = new();
    private readonly List<long> scratch = [];
    private readonly List<string> found = [];
    private CompiledCues? cues;

    public string Name => "risk-cues";

    public async ValueTask PrepareAsync(long workspaceId, CancellationToken cancellationToken) =>
        cues = await matcher.ForWorkspaceAsync(workspaceId, cancellationToken).ConfigureAwait(false);

    public void Analyse(ReadOnlySpan<Mention> mentions)
    {
        foreach (var mention in mentions)
        {
            var names = Find(mention);
            if (names.Count > 0)
            {
                mention.Analysis = mention.Analysis with { RiskCues = names };
            }
        }
    }

    /// <summary>The cue names found in one mention (an empty shared list when none: no allocation).</summary>
    public IReadOnlyList<string> Find(Mention mention)
    {
        if (cues is null || cues.Names.Count == 0)
        {
            return [];
        }

        subject.Load(mention, tokenizer);
        found.Clear();
        cues.Match(subject, scratch, found);
        return found.Count == 0 ? [] : found.ToArray();
    }
}
