namespace Firebreak.Core.Drills;

using Firebreak.Core.Scenarios;

/// <summary>
/// The scripts of the storylines with a stream of their own. Computed properties, not fields: <see cref="DrillScenarios.All"/>
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
