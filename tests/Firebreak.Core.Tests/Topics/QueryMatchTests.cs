using Firebreak.Core.Mentions;
using Firebreak.Core.Text;
using Firebreak.Core.Topics.Query;

namespace Firebreak.Core.Tests.Topics;

public sealed class QueryMatchTests
{
    private readonly Tokenizer tokenizer = new();

    /// <summary>Fields: space-separated key=value (lang, platform, author, kind, followers, verified).</summary>
    internal static MatchSubject Subject(Tokenizer tokenizer, string text, string fields)
    {
        var subject = new MatchSubject();
        subject.Load(Text.Surrogates.Expand(text), tokenizer);
        foreach (var pair in fields.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var (key, value) = (pair[..pair.IndexOf('=')], pair[(pair.IndexOf('=') + 1)..]);
            switch (key)
            {
                case "lang": subject.Language = value; break;
                case "platform": Assert.True(EnumNames.TryParsePlatform(value, out var p)); subject.Platform = p; break;
                case "author": subject.AuthorHandle = MatchSubject.NormaliseHandle(value); break;
                case "kind": Assert.True(EnumNames.TryParseKind(value, out var k)); subject.Kind = k; break;
                case "followers": subject.Followers = long.Parse(value, System.Globalization.CultureInfo.InvariantCulture); break;
                case "verified": subject.Verified = bool.Parse(value); break;
                default: throw new ArgumentException($"unknown field {key}", nameof(fields));
            }
        }

        return subject;
    }

    [Theory]
    // Terms, case and accents
    [InlineData("refund", "I want a REFUND now", "", true)]
    [InlineData("refund", "refunds are slow", "", false)]
    [InlineData("cafe", "Best Café in town", "", true)]
    [InlineData("café", "best cafe in town", "", true)]
    [InlineData("Straße", "die strasse ist gesperrt", "", true)]
    [InlineData("istanbul", "İSTANBUL havalimanı", "", true)]
    [InlineData("naive", "so naïve", "", true)]
    [InlineData("ＡＣＭＥ", "acme airlines", "", true)]
    [InlineData("hello", "H̸̢̛e̵̡͝l̷̨̛l̶͚̈o̴̧͝ world", "", true)]
    // Phrases
    [InlineData("\"late flight\"", "my flight was late", "", false)]
    [InlineData("\"late flight\"", "another LATE flight again", "", true)]
    [InlineData("\"late flight\"", "late, flight!", "", true)] // punctuation is not a token
    [InlineData("don't", "I don't care", "", true)]
    // Boolean operators
    [InlineData("refund AND airline", "airline gave a refund", "", true)]
    [InlineData("refund airline", "refund please", "", false)]
    [InlineData("refund OR chargeback", "filed a chargeback", "", true)]
    [InlineData("refund NOT spam", "refund spam offer", "", false)]
    [InlineData("refund -spam", "refund offer", "", true)]
    [InlineData("NOT spam", "anything at all", "", true)]
    [InlineData("(refund OR chargeback) (airline OR flight)", "chargeback after my flight", "", true)]
    [InlineData("(refund OR chargeback) (airline OR flight)", "chargeback after my train", "", false)]
    [InlineData("a OR b c", "a", "", true)]
    [InlineData("a OR b c", "b", "", false)]
    // Hashtags and handles
    [InlineData("boycott", "Join the #Boycott today", "", true)]
    [InlineData("#boycott", "we will boycott them", "", false)]
    [InlineData("#boycott", "#BOYCOTT acme", "", true)]
    [InlineData("@acme_air", "thanks @Acme_Air!", "", true)]
    [InlineData("@acme_air", "acme_air is great", "", false)]
    [InlineData("acme", "ask @acme", "", true)]
    [InlineData("#refund", "https://acme.com/help#refund", "", false)] // a URL fragment is not a hashtag
    [InlineData("refund", "https://acme.com/help#refund", "", true)]
    // NEAR / NEARF
    [InlineData("refund NEAR/3 airline", "refund from the big airline", "", true)]
    [InlineData("refund NEAR/2 airline", "refund from the big airline", "", false)]
    [InlineData("refund NEAR/3 airline", "airline will never refund", "", true)]
    [InlineData("refund NEARF/3 airline", "airline will never refund", "", false)]
    [InlineData("refund NEARF/3 airline", "refund from the airline", "", true)]
    [InlineData("refund NEAR/0 airline", "refund airline", "", true)]
    [InlineData("refund NEAR/0 airline", "refund the airline", "", false)]
    [InlineData("(refund OR chargeback) NEAR/5 (airline OR flight)", "my chargeback was about a delayed flight", "", true)]
    [InlineData("(refund OR chargeback) NEAR/5 (airline OR flight)", "chargeback one two three four five six flight", "", false)]
    [InlineData("\"late flight\" NEAR/2 refund", "late flight so no refund", "", true)]
    [InlineData("refund NEAR/2 refund", "refund", "", false)] // two occurrences are needed
    [InlineData("refund NEAR/2 refund", "refund and refund", "", true)]
    [InlineData("(a NEAR/1 b) NEAR/1 c", "a b x c", "", true)]
    [InlineData("#boycott NEAR/3 acme", "#boycott the acme stores", "", true)]
    // Wildcards
    [InlineData("refund*", "they refunded me", "", true)]
    [InlineData("refund*", "refun", "", false)]
    [InlineData("colo?r", "what a colour", "", true)]
    [InlineData("colo?r", "what a color", "", false)]
    [InlineData("#boyc*", "#BoycottAcme now", "", true)]
    [InlineData("#boyc*", "boycotting acme", "", false)]
    [InlineData("refund* NEAR/2 airline", "refunding the airline", "", true)]
    // Fields
    [InlineData("lang:fr", "bonjour", "lang=fr", true)]
    [InlineData("lang:fr", "bonjour", "lang=fr-ca", true)]
    [InlineData("lang:fr", "hello", "lang=en", false)]
    [InlineData("platform:tiktok refund", "refund please", "platform=tiktok", true)]
    [InlineData("platform:tiktok refund", "refund please", "platform=x", false)]
    [InlineData("refund NOT platform:reddit", "refund", "platform=reddit", false)]
    [InlineData("author:@AcmeAir", "hi", "author=@acmeair", true)]
    [InlineData("author:acmeair", "hi", "author=someone", false)]
    [InlineData("kind:review", "bad", "kind=review", true)]
    [InlineData("kind:review", "bad", "kind=comment", false)]
    [InlineData("followers:>10000", "x", "followers=10001", true)]
    [InlineData("followers:>10000", "x", "followers=10000", false)]
    [InlineData("followers:>=10000", "x", "followers=10000", true)]
    [InlineData("followers:<500", "x", "followers=500", false)]
    [InlineData("followers:<=500", "x", "followers=500", true)]
    [InlineData("followers:1000..5000", "x", "followers=5000", true)]
    [InlineData("followers:1000..5000", "x", "followers=999", false)]
    [InlineData("followers:>10k", "x", "followers=20000", true)]
    [InlineData("verified:true", "x", "verified=true", true)]
    [InlineData("verified:true", "x", "verified=false", false)]
    [InlineData("verified:false refund", "refund", "verified=false", true)]
    // Arabic, Russian, Hebrew
    [InlineData("احمد", "قال أحمد إن الخدمة سيئة", "lang=ar", true)]
    [InlineData("مدرسة", "المدرسه جميلة", "", false)] // whole-token match: "المدرسه" is one token
    [InlineData("مدرسة", "مدرسه جميلة", "", true)]
    [InlineData("\"خدمة سيئة\"", "الخدمة خدمه سيئه جدا", "", true)]
    [InlineData("مـرحبا", "مَرْحَبًا بكم", "", true)]
    [InlineData("возврат", "Где мой ВОЗВРАТ денег?", "lang=ru", true)]
    [InlineData("ёлка", "новогодняя елка", "", true)]
    [InlineData("возврат* NEAR/3 деньги", "возвратите мне деньги", "", true)]
    [InlineData("שלום", "שָׁלוֹם עולם", "", true)]
    // Japanese / Chinese / Thai without spaces
    [InlineData("東京", "東京タワーに行きました", "lang=ja", true)]
    [InlineData("京東", "東京タワーに行きました", "", false)]
    [InlineData("タワー", "東京タワーに行きました", "", true)]
    [InlineData("退款", "我要求退款！", "lang=zh", true)]
    [InlineData("退款 NEAR/4 航空", "航空公司拒绝退款", "", true)]
    [InlineData("退款 NEAR/3 航空", "航空公司拒绝退款", "", false)]
    [InlineData("#東京", "#東京 旅行", "", true)]
    [InlineData("ｶﾀｶﾅ", "カタカナ", "", true)]
    [InlineData("ครับ", "สวัสดีครับ", "lang=th", true)]
    // Indonesian and French
    [InlineData("pengembalian dana", "minta pengembalian dana segera", "lang=id", true)]
    [InlineData("\"pengembalian dana\" lang:id", "dana pengembalian", "lang=id", false)]
    [InlineData("remboursement NEAR/4 vol", "Le remboursement de mon vol annulé", "lang=fr", true)]
    [InlineData("annule", "vol ANNULÉ encore", "lang=fr", true)]
    [InlineData("\"l'avion\"", "L’avion est en retard", "", true)] // both apostrophes split
    // Emoji and broken text
    [InlineData("love", "I 💖love💖 this", "", true)]
    [InlineData("broken", "a <D800>broken string", "", true)]
    [InlineData("brokenstring", "a broken<DC00>string", "", true)]
    public void Matches_QueryAndText_ReturnsExpected(string query, string text, string fields, bool expected)
    {
        var parsed = QueryParser.Parse(query);
        Assert.True(parsed.Success, parsed.Error?.Message);
        Assert.Equal(expected, parsed.Query.Matches(Subject(tokenizer, text, fields)));
    }

    [Fact]
    public void Load_Mention_FillsFieldsAndTokens()
    {
        var mention = new Mention
        {
            WorkspaceId = 1,
            Platform = Platform.TikTok,
            ExternalId = "e1",
            Kind = MentionKind.Review,
            Author = new MentionAuthor("@Acme_Air", "Acme", 25_000, true),
            Text = "Refund please #Boycott",
            Language = "FR",
            CreatedAt = DateTimeOffset.UnixEpoch,
            CapturedAt = DateTimeOffset.UnixEpoch,
        };
        var subject = new MatchSubject();
        subject.Load(mention, tokenizer);

        var query = QueryParser.Parse("refund #boycott lang:fr platform:tiktok author:@acme_air kind:review followers:>20k verified:true");
        Assert.True(query.Success, query.Error?.Message);
        Assert.True(query.Query.Matches(subject));
        Assert.Equal("acme_air", subject.AuthorHandle);
        Assert.Equal("fr", subject.Language);
    }
}
