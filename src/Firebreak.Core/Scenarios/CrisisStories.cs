namespace Firebreak.Core.Scenarios;

/// <summary>
/// The storylines besides the airline one, as data, in English, Spanish and French. Slots as in <see cref="LanguagePacks"/>;
/// {d}/{D} is the person whose post starts the burst. No text names a flight or the airline crisis, so a drill on these
/// rehearses the story, not Aurora Air's passenger.
/// </summary>
internal static class CrisisStories
{
    /// <summary>Languages every story here has text for.</summary>
    public static IReadOnlyList<string> Languages { get; } = ["en", "es", "fr"];

    /// <summary>Posts the team never approved appear on the brand's account; followers ask whether it was hacked.</summary>
    public static CrisisStory HackedAccount { get; } = new(
        ScenarioCatalog.HackedAccount,
        "#{brand}Hacked",
        ["#WereYouHacked", "#{brand}Scam", "#DontClick", "#CryptoScam"],
        "Is {@} hacked?? Their account just posted \"FREE return tickets for the first 500 who send 0.1 ETH to this wallet\" and a string of slurs, " +
        "then DM'd me a \"verify your login\" link. Do NOT click anything from them right now. {X} {u}",
        "Our account was used by someone who is not us. The giveaway, the offensive posts and the login links are not ours: do not click them " +
        "or send anything. We have locked the account, removed the posts and are working with the platform. Updates: {u}",
        new Dictionary<string, StoryTexts>
        {
            ["en"] = new(
                [
                    "{@} were you hacked?? that crypto giveaway is NOT real right? {X}",
                    "Pretty sure {b}'s account got hacked, it's posting scam links every few minutes {-} {x}",
                    "PSA: do not click the link {b} just posted. it's a phishing page asking for your password {X} {x}",
                    "{@} someone has your account and is posting slurs from it. say something {-} {X}",
                    "my mum sent money to that '{b} giveaway' wallet. who do I even talk to?? {-} {x}",
                    "how does a company this size not have 2FA on its main account {-} {X}",
                    "the offensive posts are still up on {b}'s page an hour later. is anyone there? {X}",
                    "got a DM from {@} asking me to 'verify my login'. reported. hacked for sure {x}",
                    "if {b} was really hacked they need to tell us NOW, not tomorrow {-} {X}",
                    "{b} account compromised, scam posts everywhere. stay safe people {x} {u}",
                    "screenshotting everything {b}'s hacked account posts before it gets deleted {X} {-}",
                    "no word from {@} while their hacked account spams crypto scams. wow {-} {x}",
                ],
                [
                    "thanks for the warning, almost clicked it {X}",
                    "same DM here, {b} is definitely hacked {-} {x}",
                    "reported the account, everyone please do the same {X}",
                    "{b} needs to pause everything until they have it back {-}",
                ],
                [
                    "{b} social media account hacked, scam giveaway posted to followers",
                    "Hackers take over {b} account, post offensive messages and crypto scam",
                    "{b} customers warned not to click links after apparent account takeover",
                ]),
            ["es"] = new(
                [
                    "{@} ¿los hackearon? ese sorteo de cripto NO es real, ¿verdad? {X}",
                    "Creo que hackearon la cuenta de {b}, publica enlaces de estafa cada pocos minutos {-} {x}",
                    "Aviso: no abran el enlace que acaba de publicar {b}, es una página falsa que pide la contraseña {X}",
                    "{@} alguien tiene su cuenta y publica insultos. ¡Digan algo! {-} {X}",
                    "¿Ni verificación en dos pasos? Qué vergüenza, {b} hackeada {-} {x}",
                    "Me llegó un mensaje de {@} para 'verificar mi cuenta'. Hackeados seguro {x}",
                ],
                [
                    "gracias por avisar, casi lo abro {X}",
                    "a mí también me llegó, {b} está hackeada {-}",
                ],
                [
                    "Hackean la cuenta de {b} y publican una estafa de criptomonedas",
                    "{b} pide no abrir enlaces tras el aparente hackeo de su cuenta",
                ]),
            ["fr"] = new(
                [
                    "{@} vous avez été piratés ? ce concours crypto n'est PAS réel ? {X}",
                    "Le compte de {b} est piraté, il publie des liens d'arnaque toutes les cinq minutes {-} {x}",
                    "Attention : ne cliquez pas sur le lien publié par {b}, c'est une page qui vole les mots de passe {X}",
                    "{@} quelqu'un a pris votre compte et publie des insultes. Réagissez ! {-} {X}",
                    "Pas de double authentification sur le compte principal ? Sérieux, {b} piraté {-} {x}",
                    "Reçu un message de {@} pour « vérifier mon identifiant ». Piratage, c'est sûr {x}",
                ],
                [
                    "merci pour l'alerte, j'ai failli cliquer {X}",
                    "pareil ici, le compte de {b} est piraté {-}",
                ],
                [
                    "Le compte de {b} piraté : une arnaque aux cryptomonnaies publiée",
                    "{b} appelle à ne pas cliquer sur les liens après le piratage de son compte",
                ]),
        });

    /// <summary>A national tragedy while the brand's cheerful posts keep going out on schedule.</summary>
    public static CrisisStory Tragedy { get; } = new(
        ScenarioCatalog.Tragedy,
        "#ReadTheRoom",
        ["#TodayOfAllDays", "#{brand}ToneDeaf", "#PauseYourPosts", "#NationalMourning"],
        "Hours after the bridge collapse, with families still waiting for news, {@} just posted \"Sunshine sale! Pack your bags, life's a party 🎉\". " +
        "Read the room. {X} {u}",
        "Today is a day of mourning. We have paused all our scheduled posts and campaigns; the post earlier today should not have gone out, and " +
        "we are sorry. Our thoughts are with everyone affected by the bridge collapse. {u}",
        new Dictionary<string, StoryTexts>
        {
            ["en"] = new(
                [
                    "people are dead and {b} is posting party emojis. read the room {-} {X}",
                    "{@} a 'sunshine sale' today?? on a day of national mourning?? {-} {x}",
                    "whoever schedules {b}'s posts: turn it OFF. today of all days {X}",
                    "another cheerful {b} post just went out. are they even watching the news {-} {X}",
                    "my cousin is still missing after the collapse and {b} wants me to 'pack my bags'. unbelievable {-} {x}",
                    "tone-deaf doesn't even begin to describe {b} today {X} {-}",
                    "brands: pause your schedules. {b}: apparently not {x} {X}",
                    "{@} delete it. just delete it and stop posting for a day {-}",
                    "the whole country is grieving and {b} is doing giveaways. unfollowed {X} {-}",
                    "{b}'s scheduled posts keep coming like nothing happened. grief isn't a marketing moment {x}",
                    "{m} did you see {b}'s post? on a day like this? {-} {X}",
                    "other brands went quiet today. {b} posted a party. noted {x} {X}",
                ],
                [
                    "exactly. read the room {b} {X}",
                    "unfollowing too. disgusting timing {-} {x}",
                    "hope whoever approved that has a long think {-}",
                    "they posted ANOTHER one since this. {X}",
                ],
                [
                    "{b} criticised for upbeat posts during national mourning",
                    "Brands including {b} pull campaigns after backlash over tone-deaf posts",
                    "'Read the room': {b} faces anger over sale post on day of tragedy",
                ]),
            ["es"] = new(
                [
                    "Hay muertos y {b} publica emojis de fiesta. Un poco de respeto {-} {X}",
                    "{@} ¿una 'oferta de sol' hoy? ¿en un día de luto nacional? {-} {x}",
                    "Quien programe las publicaciones de {b}: apáguenlo. Hoy no {X}",
                    "Otra publicación alegre de {b}. ¿No ven las noticias? {-} {X}",
                    "El país está de luto y {b} sorteando viajes. Dejo de seguirlos {X} {-}",
                    "Las demás marcas callaron hoy. {b} publicó una fiesta {x}",
                ],
                [
                    "exacto, qué falta de respeto {X}",
                    "publicaron OTRA más {-} {x}",
                ],
                [
                    "Críticas a {b} por publicaciones alegres durante el luto nacional",
                    "{b} bajo fuego por una oferta publicada el día de la tragedia",
                ]),
            ["fr"] = new(
                [
                    "Il y a des morts et {b} publie des emojis de fête. Un peu de décence {-} {X}",
                    "{@} des « soldes soleil » aujourd'hui ? un jour de deuil national ? {-} {x}",
                    "À qui programme les posts de {b} : coupez tout. Pas aujourd'hui {X}",
                    "Encore un post joyeux de {b}. Vous regardez les infos ? {-} {X}",
                    "Le pays est en deuil et {b} fait un concours. Je me désabonne {X} {-}",
                    "Les autres marques se sont tues aujourd'hui. {b} a posté une fête {x}",
                ],
                [
                    "exactement, aucune décence {X}",
                    "ils en ont publié UN AUTRE {-} {x}",
                ],
                [
                    "{b} critiquée pour des publications joyeuses pendant le deuil national",
                    "Polémique : {b} publie une promotion le jour du drame",
                ]),
        });

    /// <summary>A staff member posts something offensive from the brand's account; the outrage asks: delete it, or keep it and answer?</summary>
    public static CrisisStory OffensivePost { get; } = new(
        ScenarioCatalog.OffensivePost,
        "#{brand}Apologise",
        ["#DeleteIt", "#{brand}Fail", "#NotAJoke", "#WhoApprovedThis"],
        "Screenshot before they delete it: {@} just \"joked\" that people who ask for wheelchair assistance are \"faking it for early boarding\". " +
        "From the brand account. Who approved this? {X} {u}",
        "Earlier today a post on our account mocked disabled travellers. It was wrong, it is not what we believe, and we are sorry. We have " +
        "taken it down, are reviewing how it was approved, and will share what changes. {u}",
        new Dictionary<string, StoryTexts>
        {
            ["en"] = new(
                [
                    "{@} mocking wheelchair users from your official account?? delete it and apologise {-} {X}",
                    "my dad needs assistance to board. {b} thinks that's a joke. unbelievable {-} {x}",
                    "who at {b} approved that post? that's not a 'rogue intern', that's culture {X}",
                    "{b} if you delete it without a word we'll all remember the screenshot {x} {-}",
                    "don't just delete it {@}, own it and say sorry properly {X}",
                    "disabled travellers already have it hard enough. shame on {b} {-} {x}",
                    "still no apology from {b} hours after that 'joke' post {X} {-}",
                    "the replies under {b}'s post are brutal and honestly deserved {x}",
                    "unfollowed {@}. punching down isn't 'banter' {-} {X}",
                    "{b} staff: whoever wrote that should not be running the account {x}",
                    "{m} did you see what {b} posted about wheelchair users?? {-} {X}",
                    "an offensive post from the brand account itself. {b} you need a better approval process {X}",
                ],
                [
                    "this is awful. {b} needs to apologise today {X}",
                    "screenshotted in case they delete it {x}",
                    "my mum uses a wheelchair. never flying with them {-} {X}",
                    "the post is still up. why is it still up {-}",
                ],
                [
                    "{b} criticised for social media post mocking disabled travellers",
                    "Disability groups demand apology after {b} post",
                    "{b} under fire over 'offensive' post from official account",
                ]),
            ["es"] = new(
                [
                    "{@} ¿burlarse de personas en silla de ruedas desde la cuenta oficial? Bórrenlo y pidan perdón {-} {X}",
                    "Mi padre necesita asistencia para embarcar. Para {b} es un chiste. Increíble {-} {x}",
                    "¿Quién en {b} aprobó ese post ofensivo? {X}",
                    "No lo borren sin más, {@}: den la cara y pidan perdón {X}",
                    "Sigue sin haber disculpa de {b} por ese post {-} {x}",
                    "Dejo de seguir a {b}. Burlarse de los demás no es humor {X}",
                ],
                [
                    "vergonzoso, {b} tiene que disculparse hoy {X}",
                    "guardo captura por si lo borran {x}",
                ],
                [
                    "Polémica por un post de {b} que se burla de viajeros con discapacidad",
                    "Asociaciones exigen una disculpa a {b} por su publicación",
                ]),
            ["fr"] = new(
                [
                    "{@} se moquer des personnes en fauteuil depuis le compte officiel ? Supprimez et excusez-vous {-} {X}",
                    "Mon père a besoin d'assistance pour embarquer. Pour {b}, c'est une blague. Honteux {-} {x}",
                    "Qui chez {b} a validé ce post offensant ? {X}",
                    "Ne le supprimez pas en silence, {@} : assumez et présentez des excuses {X}",
                    "Toujours pas d'excuses de {b} pour ce post {-} {x}",
                    "Je me désabonne de {b}. Se moquer des autres n'est pas de l'humour {X}",
                ],
                [
                    "honteux, {b} doit s'excuser aujourd'hui {X}",
                    "capture faite au cas où ils suppriment {x}",
                ],
                [
                    "Polémique après un post de {b} moquant les voyageurs handicapés",
                    "Des associations exigent des excuses de {b}",
                ]),
        });

    public static CrisisStory? Find(string? key) => key switch
    {
        ScenarioCatalog.OffensivePost => OffensivePost,
        ScenarioCatalog.HackedAccount => HackedAccount,
        ScenarioCatalog.Tragedy => Tragedy,
        _ => null,
    };
}
