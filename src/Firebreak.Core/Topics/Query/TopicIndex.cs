namespace Firebreak.Core.Topics.Query;

/// <summary>
/// Matches a mention against many topic queries without evaluating all of them. Each query gets an anchor
/// set at build time: tokens of which every matching mention must contain at least one. A mention's
/// distinct tokens are looked up in the anchor dictionaries and only those candidates (plus queries that
/// have no anchor, e.g. pure NOT or field-only ones) are evaluated in full.
/// Immutable after <see cref="Build"/>: share one instance across threads; the scratch lives in the subject.
/// </summary>
public sealed class TopicIndex
{
    /// <summary>Wildcard prefixes are bucketed by at most this many leading chars.</summary>
    private const int PrefixKeyLength = 4;

    private readonly long[] topicIds;
    private readonly CompiledQuery[] queries;
    private readonly int[] always;
    private readonly Dictionary<string, int[]> exact;
    private readonly Dictionary<string, int[]>.AlternateLookup<ReadOnlySpan<char>> exactLookup;
    private readonly Dictionary<string, PrefixAnchor[]> prefixes;
    private readonly Dictionary<string, PrefixAnchor[]>.AlternateLookup<ReadOnlySpan<char>> prefixLookup;

    private TopicIndex(
        long[] topicIds,
        CompiledQuery[] queries,
        int[] always,
        Dictionary<string, int[]> exact,
        Dictionary<string, PrefixAnchor[]> prefixes)
    {
        this.topicIds = topicIds;
        this.queries = queries;
        this.always = always;
        this.exact = exact;
        this.prefixes = prefixes;
        exactLookup = exact.GetAlternateLookup<ReadOnlySpan<char>>();
        prefixLookup = prefixes.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public static TopicIndex Empty { get; } = Build([]);

    public int Count => queries.Length;

    /// <summary>Queries with no anchor, evaluated for every mention.</summary>
    public int AlwaysEvaluatedCount => always.Length;

    public static TopicIndex Build(IEnumerable<(long TopicId, CompiledQuery Query)> topics)
    {
        ArgumentNullException.ThrowIfNull(topics);
        var ids = new List<long>();
        var compiled = new List<CompiledQuery>();
        var always = new List<int>();
        var exact = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        var prefixes = new Dictionary<string, List<PrefixAnchor>>(StringComparer.Ordinal);
        foreach (var (topicId, query) in topics)
        {
            ArgumentNullException.ThrowIfNull(query);
            var slot = ids.Count;
            ids.Add(topicId);
            compiled.Add(query);
            var anchors = AnchorSet.Of(query.Root);
            if (anchors is null)
            {
                always.Add(slot);
                continue;
            }

            foreach (var text in anchors.Exact)
            {
                GetList(exact, text).Add(slot);
            }

            foreach (var prefix in anchors.Prefixes)
            {
                GetList(prefixes, prefix[..Math.Min(PrefixKeyLength, prefix.Length)]).Add(new PrefixAnchor(slot, prefix));
            }
        }

        return new TopicIndex(
            [.. ids],
            [.. compiled],
            [.. always],
            exact.ToDictionary(p => p.Key, p => p.Value.Distinct().ToArray(), StringComparer.Ordinal),
            prefixes.ToDictionary(p => p.Key, p => p.Value.ToArray(), StringComparer.Ordinal));
    }

    /// <summary>
    /// Adds the ids of every topic whose query matches <paramref name="subject"/> to
    /// <paramref name="matchedTopicIds"/>, in build order. Does not clear the list.
    /// </summary>
    public void Match(MatchSubject subject, List<long> matchedTopicIds)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(matchedTopicIds);
        var scratch = subject.TopicScratch;
        scratch.Begin(queries.Length);
        subject.EvaluatedCandidates = 0;
        if (queries.Length == 0)
        {
            return;
        }

        CollectCandidates(subject, scratch);
        foreach (var slot in always)
        {
            scratch.Add(slot);
        }

        var candidates = scratch.Candidates;
        candidates.Sort();
        foreach (var slot in candidates)
        {
            subject.EvaluatedCandidates++;
            if (queries[slot].Matches(subject))
            {
                matchedTopicIds.Add(topicIds[slot]);
            }
        }
    }

    private void CollectCandidates(MatchSubject subject, TopicMatchScratch scratch)
    {
        var tokens = subject.Tokens;
        var distinct = tokens.DistinctCount;
        var hasExact = exact.Count > 0;
        var hasPrefixes = prefixes.Count > 0;
        for (var d = 0; d < distinct; d++)
        {
            var text = tokens.TokenText(tokens.FirstOccurrence(d));
            if (hasExact && exactLookup.TryGetValue(text, out var slots))
            {
                foreach (var slot in slots)
                {
                    scratch.Add(slot);
                }
            }

            if (!hasPrefixes)
            {
                continue;
            }

            // Keys are 2..4 chars (wildcards need 2 literal chars), so each anchor is found at most once.
            for (var length = 2; length <= Math.Min(PrefixKeyLength, text.Length); length++)
            {
                if (!prefixLookup.TryGetValue(text[..length], out var anchors))
                {
                    continue;
                }

                foreach (var anchor in anchors)
                {
                    if (text.StartsWith(anchor.Prefix, StringComparison.Ordinal))
                    {
                        scratch.Add(anchor.Slot);
                    }
                }
            }
        }
    }

    private static List<T> GetList<T>(Dictionary<string, List<T>> map, string key)
    {
        if (!map.TryGetValue(key, out var list))
        {
            list = [];
            map[key] = list;
        }

        return list;
    }

    private readonly record struct PrefixAnchor(int Slot, string Prefix);
}
