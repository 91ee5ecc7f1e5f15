namespace Firebreak.Bench;

using Firebreak.Core.Ingestion;
using Firebreak.Core.Scenarios;
using Firebreak.Core.Text;

/// <summary>
/// Realistic topic sets of any size for benchmarks: queries of the shapes users write (OR lists, AND with
/// NOT, phrases, wildcards, NEAR, hashtags, field filters) over words that really occur in the stream.
/// </summary>
internal static class BenchTopics
{
    public static IReadOnlyList<(string Name, string Query)> Create(int count, IEnumerable<MentionInput> sample, int seed = 7)
    {
        var tokenizer = new Tokenizer();
        var text = new TokenizedText();
        var frequency = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var input in sample)
        {
            tokenizer.Tokenize(input.Text ?? string.Empty, text);
            for (var i = 0; i < text.Count; i++)
            {
                var token = text.TokenString(i);
                if (token.Length >= 3 && !char.IsAsciiDigit(token[0]))
                {
                    frequency[token] = frequency.GetValueOrDefault(token) + 1;
                }
            }
        }

        // Skip the very commonest words (stop words) and the one-offs, as a user picking keywords would.
        var words = frequency.OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal)
            .Skip(40).Take(3_000).Select(p => p.Key).ToArray();
        if (words.Length < 10)
        {
            throw new InvalidOperationException("sample too small to build benchmark topics");
        }

        var random = new Random(seed);
        string W() => words[random.Next(words.Length)];
        var topics = new List<(string, string)>(count);
        for (var i = 0; i < count; i++)
        {
            var query = (i % 8) switch
            {
                0 => $"{W()} OR {W()} OR {W()}",
                1 => $"({W()} OR {W()}) AND NOT {W()}",
                2 => $"\"{W()} {W()}\" OR {W()}",
                3 => $"{W()[..3]}* AND {W()}",
                4 => $"{W()} NEAR/5 ({W()} OR {W()})",
                5 => $"#{W()} OR {W()} lang:en",
                6 => $"({W()} OR {W()}) platform:x",
                _ => $"{W()} AND ({W()} OR {W()} OR {W()}) followers:>1000",
            };
            topics.Add(($"bench-{i:D4}", query));
        }

        return topics;
    }
}
