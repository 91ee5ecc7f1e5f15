namespace Firebreak.Core.Scenarios;

/// <summary>A generated account. Immutable; each emitted mention gets its own <c>AuthorInput</c> copy.</summary>
internal sealed record ScenarioAuthor(string Handle, string DisplayName, long Followers, bool Verified, string BlueskyDid);

/// <summary>
/// Accounts for one language. Followers are Pareto-distributed (most under 1,000, a handful in the
/// hundreds of thousands or millions) because that is what real audiences look like.
/// </summary>
internal sealed class AuthorPool
{
    private const string DidAlphabet = "abcdefghijklmnopqrstuvwxyz234567";
    private readonly ScenarioAuthor[] authors;

    public AuthorPool(LanguagePack pack, int size, ScenarioRandom random, HashSet<string> takenHandles)
    {
        authors = new ScenarioAuthor[size];
        for (var i = 0; i < size; i++)
        {
            var (latin, native) = random.Pick(pack.Names);
            var handle = UniqueHandle(MakeHandle(latin, random), random, takenHandles);
            var followers = (long)Math.Min(8_000_000, 15.0 / Math.Pow(1.0 - random.NextDouble(), 1.0 / 0.8));
            var verified = followers > 50_000 ? random.Chance(0.6) : random.Chance(0.01);
            var display = random.Chance(0.12) ? native + " " + random.Pick(DisplayFlourish) : native;
            authors[i] = new ScenarioAuthor(handle, display, followers, verified, MakeDid(random));
        }
    }

    private static readonly string[] DisplayFlourish = ["✈️", "🌍", "☕", "🌸", "⚽", "📷", "🎧", "💙"];

    public int Count => authors.Length;

    public ScenarioAuthor this[int index] => authors[index];

    /// <summary>Skewed towards the front of the pool so some accounts post often, as in real feeds.</summary>
    public ScenarioAuthor Pick(ScenarioRandom random)
    {
        var u = random.NextDouble();
        return authors[(int)(authors.Length * u * Math.Sqrt(u))];
    }

    public static string MakeDid(ScenarioRandom random)
    {
        Span<char> chars = stackalloc char[24];
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = DidAlphabet[random.Next(DidAlphabet.Length)];
        }

        return "did:plc:" + new string(chars);
    }

    private static string MakeHandle(string latinName, ScenarioRandom random)
    {
        var lower = latinName.ToLowerInvariant();
        var space = lower.IndexOf(' ', StringComparison.Ordinal);
        var first = space < 0 ? lower : lower[..space];
        var last = space < 0 ? string.Empty : lower[(space + 1)..].Replace(" ", string.Empty, StringComparison.Ordinal);
        return random.Next(6) switch
        {
            0 when last.Length > 0 => first + "_" + last,
            1 when last.Length > 0 => first + last,
            2 => first + random.Next(10, 9999).ToString(System.Globalization.CultureInfo.InvariantCulture),
            3 when last.Length > 0 => last + first[0],
            4 => "its" + first,
            _ => first + "_" + random.Pick(HandleSuffixes),
        };
    }

    private static readonly string[] HandleSuffixes = ["travels", "x", "official", "ok", "99", "real", "tv", "fly", "jpg", "xo"];

    private static string UniqueHandle(string handle, ScenarioRandom random, HashSet<string> taken)
    {
        var candidate = handle;
        while (!taken.Add(candidate))
        {
            candidate = handle + random.Next(2, 999).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return candidate;
    }
}
