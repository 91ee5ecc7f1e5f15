using Firebreak.Core.Text;
using Firebreak.Core.Topics.Query;

namespace Firebreak.Core.Tests.Topics;

public sealed class TopicIndexTests
{
    private static readonly string[] Operands =
    [
        "refund", "airline", "flight", "late", "spam", "#boycott", "@acme", "boycott", "acme", "refu*", "fli?ht",
        "\"late flight\"", "\"refund airline\"", "東京", "возврат", "احمد", "lang:fr", "platform:tiktok",
        "followers:>100", "verified:true", "kind:review", "author:acme", "#boyc*", "colo?r",
    ];

    private static readonly string[] Words =
    [
        "refund", "refunded", "airline", "flight", "fleight", "late", "spam", "#boycott", "@acme", "boycott", "acme",
        "#boycotting", "東京", "京", "возврат", "أحمد", "colour", "color", "the", "a", "🔥", "@boycott", "#acme",
    ];

    private readonly Tokenizer tokenizer = new();

    [Fact]
    public void Match_RandomQueriesAndTexts_AgreesWithBruteForce()
    {
        var random = new Random(20240607);
        var topics = new List<(long TopicId, CompiledQuery Query)>();
        while (topics.Count < 400)
        {
            var parsed = QueryParser.Parse(RandomQuery(random, 0));
            if (parsed.Success)
            {
                topics.Add((1000 + topics.Count, parsed.Query));
            }
        }

        var index = TopicIndex.Build(topics);
        Assert.True(index.AlwaysEvaluatedCount < topics.Count / 2);
        var subject = new MatchSubject();
        var matched = new List<long>();
        var candidatesTotal = 0;
        for (var m = 0; m < 500; m++)
        {
            var text = string.Join(' ', Enumerable.Range(0, random.Next(0, 12)).Select(_ => Words[random.Next(Words.Length)]));
            subject.Load(text, tokenizer);
            subject.Language = random.Next(2) == 0 ? "fr" : "en";
            subject.Platform = random.Next(2) == 0 ? Mentions.Platform.TikTok : Mentions.Platform.X;
            subject.Followers = random.Next(0, 200);
            subject.Verified = random.Next(2) == 0;
            subject.Kind = random.Next(2) == 0 ? Mentions.MentionKind.Review : Mentions.MentionKind.Post;
            subject.AuthorHandle = random.Next(2) == 0 ? "acme" : "other";

            matched.Clear();
            index.Match(subject, matched);
            var expected = topics.Where(t => t.Query.Matches(subject)).Select(t => t.TopicId).ToList();
            Assert.True(expected.SequenceEqual(matched), $"text '{text}': expected [{string.Join(',', expected)}] got [{string.Join(',', matched)}]");
            candidatesTotal += subject.EvaluatedCandidates;
        }

        // Structural check that the index prunes: far fewer evaluations than topics x mentions.
        Assert.True(candidatesTotal < topics.Count * 500 / 2, $"evaluated {candidatesTotal}");
    }

    [Fact]
    public void Match_ThousandDistinctTerms_EvaluatesOnlyTheOneCandidate()
    {
        var topics = Enumerable.Range(0, 1000)
            .Select(i => ((long)i, QueryParser.Parse($"term{i} OR \"phrase{i} here\" OR pre{i}x*").Query!))
            .ToList();
        var index = TopicIndex.Build(topics);
        var subject = new MatchSubject();
        subject.Load("nothing about term500 in here", tokenizer);
        var matched = new List<long>();

        index.Match(subject, matched);

        Assert.Equal([500L], matched);
        Assert.Equal(1, subject.EvaluatedCandidates);
        Assert.Equal(0, index.AlwaysEvaluatedCount);
    }

    [Theory]
    [InlineData("refund*", "refunding now", 1)]
    [InlineData("refund AND NOT spam", "refund", 1)]
    [InlineData("refund AND NOT spam", "spam", 0)]
    [InlineData("\"late flight\" NEAR/3 refund", "late flight refund", 1)]
    [InlineData("lang:fr", "anything", 1)] // field-only: always evaluated
    [InlineData("NOT spam", "anything", 1)]
    public void Match_SingleTopic_EvaluatesExpectedCandidates(string query, string text, int evaluated)
    {
        var index = TopicIndex.Build([(7, QueryParser.Parse(query).Query!)]);
        var subject = new MatchSubject();
        subject.Load(text, tokenizer);
        index.Match(subject, []);
        Assert.Equal(evaluated, subject.EvaluatedCandidates);
    }

    [Fact]
    public void Match_SharedSubjectAcrossIndexes_StampsDoNotLeak()
    {
        var small = TopicIndex.Build([(1, QueryParser.Parse("refund").Query!)]);
        var large = TopicIndex.Build(Enumerable.Range(0, 50).Select(i => ((long)i, QueryParser.Parse(i == 0 ? "refund" : "t" + i).Query!)));
        var subject = new MatchSubject();
        subject.Load("refund", tokenizer);
        var matched = new List<long>();
        small.Match(subject, matched);
        large.Match(subject, matched);
        small.Match(subject, matched);
        Assert.Equal([1L, 0L, 1L], matched);
    }

    [Fact]
    public void Match_EmptyIndex_MatchesNothing()
    {
        var subject = new MatchSubject();
        subject.Load("refund", tokenizer);
        var matched = new List<long>();
        TopicIndex.Empty.Match(subject, matched);
        Assert.Empty(matched);
    }

    private static string RandomQuery(Random random, int depth)
    {
        var roll = depth > 2 ? 0 : random.Next(8);
        return roll switch
        {
            0 or 1 or 2 => Operands[random.Next(Operands.Length)],
            3 => $"({RandomQuery(random, depth + 1)} OR {RandomQuery(random, depth + 1)})",
            4 => $"{RandomQuery(random, depth + 1)} {RandomQuery(random, depth + 1)}",
            5 => $"{RandomQuery(random, depth + 1)} NOT {RandomQuery(random, depth + 1)}",
            6 => $"({RandomQuery(random, depth + 1)}) NEAR/{random.Next(0, 4)} ({RandomQuery(random, depth + 1)})",
            _ => $"({RandomQuery(random, depth + 1)}) NEARF/{random.Next(0, 4)} {Operands[random.Next(12)]}",
        };
    }
}
