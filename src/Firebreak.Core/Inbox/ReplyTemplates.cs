namespace Firebreak.Core.Inbox;

using System.Text.RegularExpressions;
using Firebreak.Core.Mentions;

/// <summary>A workspace's reply template: name + language identify it; the text uses {author}, {brand}, {case}.</summary>
public sealed record ReplyTemplate(long Id, long WorkspaceId, string Name, string Language, string Text, DateTimeOffset UpdatedAt);

/// <summary>A template or free text with its variables filled in; <see cref="Unknown"/> lists the ones left visible.</summary>
public sealed record RenderedReply(string Text, IReadOnlyList<string> Unknown);

public static partial class ReplyTemplates
{
    public static readonly IReadOnlyList<string> Variables = ["author", "brand", "case"];

    /// <summary>Fills {author}, {brand}, {case}; any other {name} stays as it is and is reported, so nobody sends "{ordr}" unnoticed.</summary>
    public static RenderedReply Render(string text, IReadOnlyDictionary<string, string> values)
    {
        var unknown = new List<string>();
        var rendered = VariablePattern().Replace(text, m =>
        {
            var name = m.Groups[1].Value;
            if (values.TryGetValue(name, out var value))
            {
                return value;
            }

            if (!unknown.Contains(name, StringComparer.Ordinal))
            {
                unknown.Add(name);
            }

            return m.Value;
        });
        return new RenderedReply(rendered, unknown);
    }

    [GeneratedRegex(@"\{([A-Za-z_][A-Za-z0-9_-]{0,40})\}")]
    private static partial Regex VariablePattern();

    /// <summary>What a new workspace starts with (its list is seeded with these while it has none).</summary>
    public static readonly IReadOnlyList<(string Name, string Language, string Text)> Shipped =
    [
        ("apology-dm", "en", "Hi {author}, we're sorry about this. Please send us a direct message with your details and we'll sort it out (case {case}). — {brand}"),
        ("apology-dm", "es", "Hola {author}, lamentamos lo ocurrido. Envíanos un mensaje directo con tus datos y lo resolveremos (caso {case}). — {brand}"),
        ("apology-dm", "fr", "Bonjour {author}, nous sommes désolés. Écrivez-nous en message privé avec vos coordonnées et nous réglerons cela (dossier {case}). — {brand}"),
        ("apology-dm", "de", "Hallo {author}, das tut uns leid. Bitte schreib uns eine Direktnachricht mit deinen Daten, wir kümmern uns darum (Fall {case}). — {brand}"),
        ("apology-dm", "pt", "Olá {author}, lamentamos o ocorrido. Envie-nos uma mensagem direta com os seus dados e vamos resolver (caso {case}). — {brand}"),
        ("apology-dm", "ar", "مرحبًا {author}، نعتذر عمّا حدث. يرجى مراسلتنا برسالة خاصة مع بياناتك وسنعالج الأمر (الحالة {case}). — {brand}"),
        ("holding-line", "en", "We're aware of the reports and are looking into it now. We'll share an update as soon as we can. — {brand}"),
        ("holding-line", "es", "Estamos al tanto de lo ocurrido y lo estamos investigando. Compartiremos novedades lo antes posible. — {brand}"),
        ("holding-line", "fr", "Nous avons connaissance de ces signalements et nous les examinons. Nous reviendrons vers vous dès que possible. — {brand}"),
        ("holding-line", "de", "Wir kennen die Meldungen und prüfen sie gerade. Wir melden uns so bald wie möglich mit einem Update. — {brand}"),
        ("holding-line", "pt", "Estamos cientes dos relatos e a analisar a situação. Partilharemos novidades assim que possível. — {brand}"),
        ("holding-line", "ar", "نحن على علم بالبلاغات ونعمل على التحقق منها الآن. سنشارككم التحديثات في أقرب وقت ممكن. — {brand}"),
        ("thanks", "en", "Thank you, {author}, we really appreciate it! — {brand}"),
        ("thanks", "es", "¡Gracias, {author}, lo apreciamos mucho! — {brand}"),
        ("thanks", "fr", "Merci, {author}, cela nous touche beaucoup ! — {brand}"),
        ("thanks", "de", "Danke, {author}, das freut uns sehr! — {brand}"),
        ("thanks", "pt", "Obrigado, {author}, agradecemos muito! — {brand}"),
        ("thanks", "ar", "شكرًا لك يا {author}، نقدّر ذلك كثيرًا! — {brand}"),
    ];
}

/// <summary>How long a reply may be on each platform (characters as people count them: text elements).</summary>
public static class ReplyLimits
{
    public const int Default = 2_000;

    private static readonly Dictionary<Platform, int> Limits = new()
    {
        [Platform.X] = 280,
        [Platform.Bluesky] = 300,
        [Platform.Mastodon] = 500,
    };

    public static int For(Platform platform) => Limits.GetValueOrDefault(platform, Default);

    /// <summary>Counts user-perceived characters, so an emoji or an Arabic letter with its marks counts once.</summary>
    public static int Length(string text) => new System.Globalization.StringInfo(text).LengthInTextElements;

    public static string? Check(Platform platform, string text)
    {
        var length = Length(text);
        var limit = For(platform);
        return length > limit ? $"is {length} characters; {platform.ToWire()} allows {limit}" : null;
    }
}
