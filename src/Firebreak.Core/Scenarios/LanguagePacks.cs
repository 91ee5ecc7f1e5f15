namespace Firebreak.Core.Scenarios;

/// <summary>
/// The hand-written text corpus. Slots: {b} brand, {t} brand hashtag, {@} brand handle, {c} city,
/// {f} flight number, {n} small number, {+}/{-}/{~} positive/angry/neutral emoji, {u} short link,
/// {x} any crisis hashtag, {X} the main crisis hashtag, {d}/{D} the crisis author's name/handle,
/// {F} the crisis flight, {m} some other user's handle. Normal templates never use crisis slots, so
/// crisis hashtags cannot appear before the crisis starts.
/// </summary>
internal static partial class LanguagePacks
{
    private static readonly Dictionary<string, LanguagePack> ByCode = Build();

    /// <summary>Codes in the order of the default mix, English first.</summary>
    public static IReadOnlyList<string> Codes { get; } = ["en", "id", "fr", "ru", "ar", "es", "pt", "de", "ja", "hi"];

    public static bool TryGet(string code, out LanguagePack pack) => ByCode.TryGetValue(code, out pack!);

    private static Dictionary<string, LanguagePack> Build()
    {
        var packs = new[] { English(), Indonesian(), French(), Russian(), Arabic(), Spanish(), Portuguese(), German(), Japanese(), Hindi() };
        var map = new Dictionary<string, LanguagePack>(StringComparer.Ordinal);
        foreach (var pack in packs)
        {
            map[pack.Code] = pack;
        }

        return map;
    }

    private static LanguagePack English() => LanguagePack.Create(
        "en",
        latinScript: true,
        positive:
        [
            "Shoutout to the cabin crew on {f} today, absolute legends {+} {t}",
            "{b} lounge in {c} is actually sooo good. free food + quiet corner = happy me {+}",
            "just landed in {c}, smoothest flight ever. thx {@} {+}",
            "ok {b} upgraded me to business for no reason and i'm not crying you're crying {+}",
            "Booked {c} for {n} days with {b}, the flash sale was unreal {+} {t}",
            "Credit where due: {@} rebooked me in like 5 min after my connection got cancelled. great service {+}",
            "the pilot on {f} did a little tour guide thing over the alps and it was adorable {+}",
            "Honestly {b} has the best legroom in economy rn, 10/10 would fly again {+}",
            "{b} app finally lets you pick seats w/o paying extra?? W {+}",
            "Flight attendant noticed it was my bday and brought a cupcake 🎂 {b} you have my heart {+}",
            "Great experience flying {b} from {c}. On time, friendly crew, decent coffee. {u}",
            "Took my mom on her first ever flight w {b} and the crew were so kind to her {+}",
            "{m} told me to try {b} and wow, they were right {+} {t}",
        ],
        neutral:
        [
            "anyone know if {b} lets you bring a guitar as carry on? flying to {c} next week",
            "{@} what's the baggage allowance on the basic fare to {c}?",
            "Is the {b} lounge in {c} open 24h or nah",
            "Flying {b} for the first time tomorrow, any tips? {~}",
            "{b} just announced new routes to {c} starting in the spring {u}",
            "Window or aisle on a {n}h flight? asking for me on {f} {~}",
            "at the gate for {f} to {c} {~}",
            "does {b} do veggie meals on short haul? need to know before i book",
            "Comparing {b} vs the usual suspects for {c} in July. prices look similar tbh",
            "{b} miles question: do they expire if you don't fly for a year? {m} you'd know",
            "New livery on the {b} A321 spotted at {c} today {~} {u}",
            "Heading to {c} w {b}. wifi on board is $8, worth it?",
        ],
        negative:
        [
            "{f} delayed {n} hours again. {b} pls {-}",
            "Been on hold with {b} customer service for 47 min {-} {@}",
            "lost my bag AGAIN. {b} its been {n} days. {-} {t}",
            "why is a coffee on {b} 6 dollars lmao {-}",
            "{@} my refund for the cancelled {c} flight still hasn't come through after {n} weeks",
            "seat wouldn't recline the whole {n}h flight, thanks {b} {-}",
            "the {b} app logged me out mid check in and now my seat is gone {-}",
            "Gate change with 10 min notice at {c}, ran like a maniac. cmon {b} {-}",
            "overbooked again?? {b} this is the 2nd time this year {-}",
            "{b} wifi was down the entire flight but still charged me. great. {-}",
        ],
        crisis:
        [
            "{b} kicked {D} off a plane for NO reason and you expect us to keep flying with you?? {X} {-}",
            "Just watched the video of {d} being removed from {F}. disgusting. {X} {x}",
            "I've flown {b} for 10 years. Never again. Cancelling my miles account today. {X} {-}",
            "If you're not talking about what {b} did to {d} you're part of the problem {x} {X}",
            "Requesting a full refund for my {c} booking. I won't give my money to a racist airline. {X}",
            "{b} this is racism, plain and simple. Apologize to {D} and fire the crew. {x}",
            "lawyers gonna have a field day with {b} lmaooo {x} {-}",
            "the fact that {b} still hasn't said ANYTHING {-} {X}",
            "never flying {b} again. never. {X} {-}",
            "everyone cancel your {b} flights rn, hit them where it hurts {X} {-} {u}",
            "my whole family just cancelled 4 tix to {c}. {b} doesn't deserve us {X}",
            "{b} treating a world famous director like this... imagine what they do to the rest of us {x} {-}",
            "watched {d}'s video 3 times and i'm still shaking with anger {-} {X}",
            "{@} where is the apology?? where is the refund?? {X} {x}",
            "Lawsuit incoming. {b} messed with the wrong person {-} {x}",
            "boycott {b}. share this everywhere. {X} {x} {u}",
            "petition to ground {b} until they fire everyone involved {x} {u}",
            "not even surprised tbh, {b} crew were rude to me at {c} last year too {-} {X}",
            "cancel {b}. cancel their sponsorships. cancel all of it {X}",
            "Hey {@}, how much is a one-way ticket to accountability? {X} {-}",
        ],
        crisisReplies:
        [
            "so sorry this happened to you. {b} needs to answer for this {X}",
            "sending love, we're with you {x}",
            "absolutely unacceptable. just cancelled my flight with them {X} {-}",
            "please sue them into the ground {-}",
            "this is exactly why i stopped flying {b}. same thing happened to my cousin {X}",
            "the crew in that video should be fired today {x} {-}",
            "the way they treated you in front of your kids... {-} {X}",
            "take them to court. we'll crowdfund it if we have to {x}",
        ],
        news:
        [
            "{b} adds nonstop service to {c} as summer demand climbs",
            "{b} reports record quarterly passenger numbers",
            "Travel deals: {b} launches flash sale on routes to {c}",
            "{b} to retrofit A321 fleet with faster onboard Wi-Fi",
        ],
        crisisNews:
        [
            "{b} faces boycott calls after director {d} removed from flight",
            "Viral video of {d} being taken off {b} flight sparks racism accusations",
            "{b} shares slide as {X} trends worldwide",
            "{d} weighing legal action against {b}, representatives say",
            "'Never flying again': customers demand refunds as {b} backlash grows",
            "{b} says it is 'reviewing' incident involving director {d}",
        ],
        cities: ["London", "New York", "Dubai", "Singapore", "Lisbon", "Bali", "Toronto", "Sydney", "Paris", "Tokyo", "Chicago", "Cape Town"],
        names:
        [
            "James Carter", "Emily Brooks", "Jake Walker", "Olivia Hughes", "Marcus Reed", "Chloe Evans", "Tyler Murphy",
            "Hannah Price", "Devon Bennett", "Priya Patel", "Sam Foster", "Jess Kim", "Ryan Nguyen", "Megan Smith",
            "Chris Johnson", "Aisha Okoye", "Ben Taylor", "Lauren Davis", "Kevin Park", "Zoe Mitchell",
        ],
        outlets: ["Daily Ledger|dailyledger.com", "Global Wire|globalwire.net", "Skyward Travel News|skywardnews.com", "The Metro Post|metropost.co.uk"],
        editSuffixes: [" (edit: typo)", " EDIT: fixed the flight number", " *edit: spelling", " (edited)"]);
}
