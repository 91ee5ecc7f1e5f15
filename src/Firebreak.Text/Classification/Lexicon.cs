namespace Firebreak.Text.Classification;

/// <summary>
/// A small hand-written English lexicon behind <see cref="ExtraFeatures.Lexicon"/>: profanity, insults and
/// four emotion categories (words, hashtag words, emoji and emoticons), folded (lower case). Elongated
/// spellings match too ("stuuupid" → "stupid"). A word belongs to at most one category (the first listed wins).
/// </summary>
internal static class Lexicon
{
    public const int Profanity = 0;
    public const int Insult = 1;
    public const int Anger = 2;
    public const int Joy = 3;
    public const int Optimism = 4;
    public const int Sadness = 5;

    public static readonly string[] CategoryNames = ["__lex_profanity", "__lex_insult", "__lex_anger", "__lex_joy", "__lex_optimism", "__lex_sadness"];

    private const string ProfanityWords =
        "fuck fucks fucked fucker fuckers fucking fuckin fukin fuckn fking fkn fk fck fcking fcked fcuk fuk fuking fuckup " +
        "motherfucker motherfuckers motherfucking mofo mf mfs mfer shit shits shitty shitting shithead shitheads shithole " +
        "bullshit bs horseshit dipshit batshit apeshit shite crap crappy damn dammit goddamn goddamnit damned hell " +
        "ass asses arse asshole assholes arsehole jackass dumbass dumbasses smartass badass fatass lmao lmfao wtf stfu gtfo " +
        "bitch bitches bitchy bitching sonofabitch biatch piss pissed pissing cunt cunts twat twats dick dicks dickhead " +
        "dickheads cock cocks cocksucker prick pricks pussy pussies bastard bastards bollocks bloody wanker wankers tosser " +
        "slut sluts whore whores hoe hoes skank tits boobs nigga niggas nigger niggers fag fags faggot faggots retard " +
        "retarded retards douche douchebag scumbag screw screwed suck sucks sucked sucker blowjob porn sex sexy";

    private const string InsultWords =
        "idiot idiots idiotic stupid stupidity dumb dumber dumbest moron morons moronic fool fools foolish loser losers " +
        "pathetic clown clowns imbecile imbeciles cretin dimwit dunce halfwit nitwit jerk jerks creep creepy freak freaks " +
        "trash garbage scum filth filthy disgusting gross ugly fat pig pigs dog dogs rat rats snake snakes coward cowards " +
        "cowardly liar liars lying traitor traitors hypocrite hypocrites hypocritical fraud frauds fake phony crook crooks " +
        "criminal criminals corrupt thug thugs nazi nazis fascist fascists commie commies communist libtard libtards " +
        "snowflake snowflakes leftist leftists lefty libs liberal liberals democrat democrats antifa maga racist racists " +
        "sexist bigot bigots evil sick sicko psycho insane crazy nuts lunatic lunatics deranged delusional ignorant " +
        "clueless brainless brainwashed worthless useless incompetent shameful disgrace disgraceful despicable vile " +
        "pedo pedophile pedophiles rapist rapists murderer murderers terrorist terrorists treason shame ashamed hell " +
        "die kill killed killing shoot hang rot burn lock jail prison";

    private const string AngerWords =
        "angry anger angered angrier furious fury rage raging enraged mad madder livid irate outraged outrage outrageous " +
        "annoyed annoying annoys annoy annoyance irritated irritating irritates irritate frustrated frustrating frustration " +
        "pissed hate hated hates hating hatred resent resentment offended offensive infuriating infuriated infuriates " +
        "fuming seething wrath hostile bitter disgusted disgust appalled unacceptable ridiculous absurd terrible horrible " +
        "awful worst insult insulted insulting threat threaten attack boil boiling snap snapped temper grudge revenge " +
        "scream screaming yell yelling shout shouting fight fighting war blame unfair injustice incensed provoked " +
        "aggravating aggravated exasperated grr grrr argh ugh smh " +
        ">:( :@ 😡 😠 🤬 👿 💢 😤 🖕 🔪 💣";

    private const string JoyWords =
        "happy happiness happier happiest joy joyful joyous glad delighted delight delightful cheerful cheer cheers " +
        "excited exciting excitement thrilled ecstatic elated love loved loving lovely adore adorable amazing awesome " +
        "wonderful fantastic fabulous brilliant great excellent fun funny hilarious laugh laughing laughed laughter lol " +
        "haha hahaha smile smiling smiles smiled yay woohoo yippee blessed grateful thankful thanks celebrate celebrating " +
        "celebration party enjoy enjoyed enjoying beautiful gorgeous cute sweet perfect best favorite favourite win won " +
        "winning victory success proud pleasure pleased playful glee gleeful bliss blissful merry jolly amused amusing " +
        "lively sunshine birthday holiday vacation weekend friday christmas " +
        ":) :-) :)) =) :] (: ;) ;-) :d :-d ;d :p :-p ;p <3 :* ^^ ^_^ 😂 🤣 😀 😃 😄 😁 😆 😊 😍 🥰 😘 😎 🥳 🎉 🎊 ❤ ♥ 💕 💖 💗 💓 💞 💙 💚 💛 💜 🧡 😻 ☺ 🙌 👏 🎈 🎁 ✨ 🌞 😋 😜 😝";

    private const string OptimismWords =
        "hope hopes hoping hopeful hopefully optimism optimistic optimist faith believe believing belief trust future " +
        "tomorrow soon someday forward ahead dream dreams goal goals achieve achieving achievement accomplish possible " +
        "possibilities opportunity opportunities chance positive positivity bright better improve improving improvement " +
        "grow growth progress courage brave strength strong stronger persevere perseverance persistence determination " +
        "determined motivation motivated motivational inspire inspired inspiring inspiration encourage encouraging " +
        "succeed overcome challenge challenges journey keep never quit giveup patience patient wisdom wise learn " +
        "learning lesson lessons mindset attitude confidence confident believeinyourself success successful " +
        "pray prayers prayer god bless blessing blessings grace amen thrive rise shine new begin beginning start fresh " +
        "change heal healing recover recovery peace calm grateful gratitude " +
        "🙏 💪 🌈 🌟 ⭐ 🌻 🌱 🍀 🕊 ☀ 🌅 🙂 👍 ✌ 💯";

    private const string SadnessWords =
        "sad sadly sadness sadder saddest unhappy depressed depression depressing depressive miserable misery sorrow " +
        "sorrowful grief grieve grieving heartbroken heartbreak heartbreaking broken hurt hurts hurting pain painful " +
        "cry crying cried cries tears tear weep weeping sob sobbing lonely loneliness alone lost lose losing loss " +
        "miss missing missed gloomy gloom gloomier melancholy despair desperate hopeless helpless empty numb " +
        "tired exhausted down upset disappointed disappointing disappointment regret regrets sorry mourn mourning " +
        "funeral died death dead rip passed suffer suffering anxiety anxious worry worried fear afraid scared " +
        "terrified nervous stress stressed stressful sick ill dull dark darkness blue sigh unloved rejected " +
        "failure fail failed failing worthless pointless suicide suicidal goodbye " +
        ":( :-( :(( =( :[ ): :'( </3 😢 😭 😞 😔 😟 😕 🙁 ☹ 😩 😫 💔 😿 😥 😓 😰 😪 🥺 😣 😖";

    /// <summary>Word (or emoji) → category.</summary>
    internal static readonly Dictionary<string, int> Entries = Build();

    private static readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> SpanLookup =
        Entries.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>Number of entries (after squashing; duplicates count once).</summary>
    public static int Count => Entries.Count;

    /// <summary>The category of a folded word or emoji, or −1: the token as it is, else (for elongated
    /// spellings such as "stuupid") with every run of one letter squashed to a single letter.</summary>
    public static int Lookup(ReadOnlySpan<char> token)
    {
        if (token.Length == 0 || token.Length > 32)
        {
            return -1;
        }

        if (SpanLookup.TryGetValue(token, out var category))
        {
            return category;
        }

        Span<char> buffer = stackalloc char[32];
        var length = Squash(token, buffer);
        return length < token.Length && SpanLookup.TryGetValue(buffer[..length], out category) ? category : -1;
    }

    /// <summary>The profanity and insult entries, for matching masked words ("f**k") against.</summary>
    public static readonly string[] AbusiveKeys =
        [.. Entries.Where(e => e.Value is Profanity or Insult && e.Key.Length >= 3).Select(e => e.Key).Order(StringComparer.Ordinal)];

    /// <summary>Copies <paramref name="token"/> with runs of one letter squashed to a single letter.</summary>
    public static int Squash(ReadOnlySpan<char> token, Span<char> buffer)
    {
        var length = 0;
        foreach (var c in token)
        {
            if (length > 0 && buffer[length - 1] == c && char.IsLetter(c))
            {
                continue;
            }

            if (length == buffer.Length)
            {
                break;
            }

            buffer[length++] = c;
        }

        return length;
    }

    private static Dictionary<string, int> Build()
    {
        var entries = new Dictionary<string, int>(StringComparer.Ordinal);
        string[] lists = [ProfanityWords, InsultWords, AngerWords, JoyWords, OptimismWords, SadnessWords];
        for (var category = 0; category < lists.Length; category++)
        {
            foreach (var word in lists[category].Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                entries.TryAdd(word, category);
            }
        }

        return entries;
    }
}
