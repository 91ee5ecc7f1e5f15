namespace Firebreak.Core.Drills;

using Firebreak.Core.Scenarios;

/// <summary>
/// The scripts of the storylines with a stream of their own (hacked account, offensive post, national tragedy). Computed properties, not fields: <see cref="DrillScenarios.All"/>
/// reads them while it is initialised, and field initialisers in two files of a partial class run in no promised order.
/// </summary>
public static partial class DrillScenarios
{
    /// <summary>Minutes (wall clock) from the burst to the pause that earn the key decision's full points.</summary>
    public const double PauseTargetMinutes = 5;

    private static DrillScenario HackedAccountScenario => new(
        HackedAccount,
        "The brand account is hacked: scam giveaways and slurs the team never approved; followers ask \"were you hacked?\"",
        ScenarioCatalog.HackedAccount,
        3,
        [
            new("were-you-hacked", "A follower asks whether you were hacked", InjectTrigger.AfterBurst, 1, "x", "post", "tomasz_flies", "Tomasz Wiśniewski", 3_400, "en",
                new Dictionary<string, string>
                {
                    ["en"] = "{brand} did you really just post that?? were you hacked? I also got a DM from you with a 'verify your login' link. Is it safe to click?",
                }),
            new("scammed-customer", "A customer who sent money to the fake giveaway answers you", InjectTrigger.AfterFirstReply, 0, "x", "reply", "", "", 0, "",
                new Dictionary<string, string>
                {
                    ["en"] = "{brand} I already sent 0.1 ETH to the giveaway wallet YOUR account posted. Who pays me back? Don't send me to a form.",
                    ["es"] = "{brand} Ya mandé 0,1 ETH a la cartera del sorteo que publicó SU cuenta. ¿Quién me lo devuelve? No me manden a un formulario.",
                    ["fr"] = "{brand} J'ai déjà envoyé 0,1 ETH au portefeuille du concours publié par VOTRE compte. Qui me rembourse ? Pas de formulaire, svp.",
                }),
            Journalist(6, "en", "kai_techdesk", "Kai Moreno (The Circuit)", "{brand} Kai Moreno, The Circuit. Can you confirm your account was compromised, for how long, and whether any customer data was exposed? Filing in 45 minutes."),
            Journalist(9, "es", "ines_tecnologia", "Inés Vidal (Red Digital)", "{brand} Soy Inés Vidal, de Red Digital. ¿Pueden confirmar el hackeo de su cuenta y si se expusieron datos de clientes?"),
            new("shared-password", "A post says the password was in a shared doc", InjectTrigger.AfterBurst, 14, "reddit", "post", "former_agency_intern", "former_agency_intern", 900, "en",
                new Dictionary<string, string>
                {
                    ["en"] = "Not surprised {brand} got hacked. When I interned at their agency the social password sat in a shared doc with 40 people on it. No 2FA.",
                }),
        ],
        new DrillKeyDecision("Publishing paused (the account secured)", PauseTargetMinutes, AnyScope: true));

    /// <summary>
    /// No key decision scored: its decision (delete, or keep it up and answer) has no single right answer to time, and the
    /// apology is the first public response the timings already score.
    /// </summary>
    private static DrillScenario OffensivePostScenario => new(
        OffensivePost,
        "A staff member's post from the brand account mocks disabled travellers: delete it or keep it and answer, and apologise",
        ScenarioCatalog.OffensivePost,
        3,
        [
            new("delete-or-own", "A follower warns against deleting quietly", InjectTrigger.AfterBurst, 2, "x", "post", "amira_access", "Amira Saleh", 28_000, "en",
                new Dictionary<string, string>
                {
                    ["en"] = "{brand} If that post just disappears with no word, we'll all know you hoped nobody saw it. Leave it, or delete it and say why. Which is it?",
                }),
            new("hurt-customer", "A customer who uses a wheelchair answers your reply", InjectTrigger.AfterFirstReply, 0, "x", "reply", "", "", 0, "",
                new Dictionary<string, string>
                {
                    ["en"] = "{brand} I board early because I have to, not for fun. A DM won't undo that post. Who wrote it, and what are you changing?",
                    ["es"] = "{brand} Embarco antes porque lo necesito, no por gusto. Un mensaje privado no borra ese post. ¿Quién lo escribió y qué van a cambiar?",
                    ["fr"] = "{brand} J'embarque en premier parce que j'en ai besoin, pas pour m'amuser. Un DM n'efface pas ce post. Qui l'a écrit, et que changez-vous ?",
                }),
            Journalist(6, "en", "sam_accessdesk", "Sam Okafor (Access Today)", "{brand} Sam Okafor, Access Today. Was the post about wheelchair users approved, is the staff member still running your account, and will you apologise? Filing in an hour."),
            Journalist(10, "fr", "claire_journaliste", "Claire Morel (Le Quotidien)", "{brand} Claire Morel, Le Quotidien. Votre compte a publié un message moquant les voyageurs handicapés. Allez-vous présenter des excuses ?"),
            new("staff-defends", "A staff member defends the post in public", InjectTrigger.AfterBurst, 14, "reddit", "post", "ops_lead_ka", "ops_lead_ka", 2_100, "en",
                new Dictionary<string, string>
                {
                    ["en"] = "I work at {brand} and honestly the post was a joke, people need to relax. Half the 'assistance' requests at the gate are fake anyway.",
                }),
        ]);

    private static DrillScenario NationalTragedyScenario => new(
        NationalTragedy,
        "A national tragedy while cheerful posts sit in the schedule: the stream turns to grief and anger at tone-deaf brands",
        ScenarioCatalog.Tragedy,
        3,
        [
            new("another-post", "Another scheduled post goes out in the middle of it", InjectTrigger.AfterBurst, 2, "instagram", "comment", "leila.h", "Leila Haddad", 12_800, "en",
                new Dictionary<string, string>
                {
                    ["en"] = "{brand} another one just went out: \"Weekend getaway giveaway 🎉 tag a friend!\" Today. Seriously. Is anyone at the wheel?",
                }),
            new("grieving-follower", "A grieving follower answers your reply", InjectTrigger.AfterFirstReply, 0, "x", "reply", "", "", 0, "",
                new Dictionary<string, string>
                {
                    ["en"] = "{brand} Thoughts and prayers from a brand that was selling me a party an hour ago. Did you actually stop the posts, or is the next one coming?",
                    ["es"] = "{brand} Condolencias de una marca que hace una hora me vendía una fiesta. ¿Pararon de verdad las publicaciones o viene otra?",
                    ["fr"] = "{brand} Des condoléances d'une marque qui me vendait une fête il y a une heure. Vous avez vraiment arrêté les posts, ou le prochain arrive ?",
                }),
            Journalist(8, "en", "ruth_media", "Ruth Adeyemi (Media Desk)", "{brand} Ruth Adeyemi, Media Desk. We're compiling brands that kept posting through today's tragedy. Why did yours continue, and has it stopped?"),
            Journalist(11, "fr", "hugo_medias", "Hugo Lefèvre (Le Fil)", "{brand} Hugo Lefèvre, Le Fil. Nous recensons les marques qui ont continué à publier pendant le drame. Vos publications sont-elles suspendues ?"),
            new("run-the-sale", "A leaked message asks to let the campaign run", InjectTrigger.AfterBurst, 15, "reddit", "post", "throwaway_mktg_77", "throwaway_mktg_77", 700, "en",
                new Dictionary<string, string>
                {
                    ["en"] = "Leaked from {brand}'s marketing channel today: \"can the sunshine sale just run? the budget is spent and nobody will notice\". They noticed.",
                }),
        ],
        new DrillKeyDecision("All scheduled publishing paused", PauseTargetMinutes, AnyScope: false));
}
