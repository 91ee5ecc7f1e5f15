namespace Firebreak.Core.Drills;

using Firebreak.Core.Scenarios;

/// <summary>When a role-play prompt goes in: some minutes (of scenario time) after the burst, or right after the team's first reply.</summary>
public enum InjectTrigger
{
    AfterBurst = 1,
    AfterFirstReply = 2,
}

/// <summary>
/// One scripted prompt. Its text has <c>{brand}</c> (the brand's @handle); <see cref="Texts"/> holds one text per
/// language. A reply inject (<see cref="InjectTrigger.AfterFirstReply"/>) comes from the author the team answered, on
/// their platform and in their language (English when the script lacks it).
/// </summary>
public sealed record DrillInject(
    string Key,
    string Title,
    InjectTrigger Trigger,
    double MinutesAfterBurst,
    string Platform,
    string Kind,
    string Handle,
    string Name,
    long Followers,
    string Language,
    IReadOnlyDictionary<string, string> Texts);

/// <summary>
/// The one move a story turns on, scored on its own: pausing publishing (the pause switch) within <paramref name="TargetMinutes"/>
/// of the burst (wall clock, like the other targets).
/// </summary>
/// <param name="AnyScope">True when pausing one platform is enough (a hacked account is one account); false when only the whole workspace's pause counts (a tragedy makes every scheduled post wrong).</param>
public sealed record DrillKeyDecision(string Label, double TargetMinutes, bool AnyScope);

/// <summary>A drill scenario: the generated stream it plays (a <see cref="ScenarioCatalog"/> entry with a burst), its script of prompts and, where the story has one, its key decision.</summary>
public sealed record DrillScenario(string Key, string Title, string Stream, double BurstAfterMinutes, IReadOnlyList<DrillInject> Injects, DrillKeyDecision? KeyDecision = null);

/// <summary>
/// The drill scenarios and their scripts, as data. Two play the airline crisis (Aurora Air) and differ in how the burst
/// starts; the hacked account, the offensive post and the national tragedy have streams of their own (see
/// <see cref="ScenarioCatalog"/>), the first and last a key decision (pausing publishing). Playbook types without a story of
/// their own (platform outage, …) drill on the sudden burst, which is how those crises look in the stream: a jump.
/// </summary>
public static partial class DrillScenarios
{
    public const string SuddenBurst = "sudden-burst";
    public const string SlowBurn = "slow-burn";
    public const string HackedAccount = ScenarioCatalog.HackedAccount;
    public const string NationalTragedy = ScenarioCatalog.Tragedy;
    public const string OffensivePost = ScenarioCatalog.OffensivePost;

    private static readonly DrillInject AngryCustomer = new(
        "angry-customer", "An angry customer answers your reply", InjectTrigger.AfterFirstReply, 0, "x", "reply", "", "", 0, "",
        new Dictionary<string, string>
        {
            ["en"] = "{brand} A copy-paste \"sorry\" and a DM link? That's it? I want a real answer in public, not a ticket number. Screenshotting this.",
            ["es"] = "{brand} ¿Un \"lo sentimos\" copiado y pegado? Quiero una respuesta de verdad, en público, no un número de caso. Guardo captura.",
            ["fr"] = "{brand} Un « désolé » copié-collé et un lien vers les DM ? C'est tout ? Je veux une vraie réponse, publique. Capture d'écran faite.",
            ["de"] = "{brand} Ein kopiertes „Entschuldigung“ und ein DM-Link? Das ist alles? Ich will eine echte, öffentliche Antwort. Screenshot gemacht.",
            ["pt"] = "{brand} Um \"lamentamos\" copiado e colado? Quero uma resposta de verdade, em público, não um número de protocolo. Print tirado.",
            ["ar"] = "{brand} اعتذار منسوخ ورابط للرسائل الخاصة؟ هذا كل شيء؟ أريد ردًا حقيقيًا وعلنيًا، لا رقم تذكرة. التقطت صورة للشاشة.",
            ["id"] = "{brand} Cuma \"maaf\" copy-paste dan link DM? Itu saja? Saya mau jawaban yang jelas di publik, bukan nomor tiket. Sudah saya screenshot.",
            ["ru"] = "{brand} Скопированное «извините» и ссылка в личку? И всё? Я хочу настоящий публичный ответ, а не номер обращения. Скриншот сделан.",
        });

    private static DrillInject Journalist(double minutes, string language, string handle, string name, string text) =>
        new("journalist-" + language, "A journalist asks for comment", InjectTrigger.AfterBurst, minutes, "x", "post", handle, name, 412_000, language,
            new Dictionary<string, string> { [language] = text });

    private static DrillInject Leak(double minutes) =>
        new("leaked-memo", "A leaked internal message", InjectTrigger.AfterBurst, minutes, "reddit", "post", "throwaway_crew_2291", "throwaway_crew_2291", 1_200, "en",
            new Dictionary<string, string>
            {
                ["en"] = "Leaked from the {brand} crew chat this morning: \"do NOT engage, legal says say nothing until Monday\". So much for \"this is not who we are\".",
            });

    public static IReadOnlyList<DrillScenario> All { get; } =
    [
        new(SuddenBurst, "A big account's complaint goes viral at once (6× the volume from the first second)", ScenarioCatalog.SuddenBurst, 3,
        [
            AngryCustomer,
            Journalist(6, "en", "dana_reports", "Dana Whitfield (Daily Ledger)", "{brand} Dana Whitfield, Daily Ledger, here. We're running a story on the passenger removed from flight AU217. Can you comment on the record? Deadline in one hour."),
            Journalist(10, "es", "lucia_periodista", "Lucía Ortega (El Diario Global)", "{brand} Soy Lucía Ortega, de El Diario Global. Preparamos una nota sobre el pasajero expulsado del vuelo AU217. ¿Tienen algún comentario oficial?"),
            Leak(16),
        ]),
        new(SlowBurn, "A complaint spreads by word of mouth (slow ramp, harder to detect)", ScenarioCatalog.AirlineCrisis, 3,
        [
            AngryCustomer,
            Journalist(12, "en", "dana_reports", "Dana Whitfield (Daily Ledger)", "{brand} Dana Whitfield, Daily Ledger. Readers are sending us the video from flight AU217. Do you have a statement? We publish tonight."),
            Journalist(18, "fr", "claire_journaliste", "Claire Morel (Le Quotidien)", "{brand} Claire Morel, Le Quotidien. Nous préparons un article sur le passager débarqué du vol AU217. Souhaitez-vous réagir ?"),
            Leak(24),
        ]),
        HackedAccountScenario,
        OffensivePostScenario,
        NationalTragedyScenario,
    ];

    public static DrillScenario? Find(string key) => All.FirstOrDefault(s => string.Equals(s.Key, key, StringComparison.OrdinalIgnoreCase));

    /// <summary>The scenario a playbook drills on by default: its own story where there is one, a slow ramp for the word-of-mouth kinds, a sudden burst otherwise.</summary>
    public static string ForPlaybook(string playbookScenario) => playbookScenario switch
    {
        HackedAccount or OffensivePost or NationalTragedy => playbookScenario,
        "viral-complaint" or "influencer-backlash" or "product-safety" => SlowBurn,
        _ => SuddenBurst,
    };
}
