namespace Firebreak.Core.Incidents.Decisions;

using Firebreak.Core.Playbooks;

/// <summary>What goes into an apology: what happened, what we are doing, how to reach us, who speaks, and the playbook's variables.</summary>
public sealed record StatementParts(string Language, string WhatHappened, string WhatWeAreDoing, string Contact, string Speaker)
{
    /// <summary>Values for the playbook holding statement's {variables} (brand, date, …).</summary>
    public IReadOnlyDictionary<string, string> Variables { get; init; } = new Dictionary<string, string>();
}

/// <summary>
/// Builds an apology: the playbook's holding statement in the chosen language when it has one (rendered with
/// <see cref="HoldingStatement.Render"/>), then the four parts of an apology — what happened, we're sorry, what we're
/// doing, how to reach us — from a template in that language (English when the language has none).
/// </summary>
public static class ApologyStatement
{
    public static readonly IReadOnlyDictionary<string, string> Templates = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["en"] = "{what_happened} We are sorry. {what_we_are_doing} You can reach us at {contact}. — {speaker}",
        ["es"] = "{what_happened} Lo sentimos. {what_we_are_doing} Puede contactarnos en {contact}. — {speaker}",
        ["fr"] = "{what_happened} Nous sommes désolés. {what_we_are_doing} Vous pouvez nous joindre à {contact}. — {speaker}",
        ["de"] = "{what_happened} Es tut uns leid. {what_we_are_doing} Sie erreichen uns unter {contact}. — {speaker}",
        ["pt"] = "{what_happened} Pedimos desculpa. {what_we_are_doing} Pode contactar-nos através de {contact}. — {speaker}",
        ["ar"] = "{what_happened} نحن آسفون. {what_we_are_doing} يمكنكم التواصل معنا عبر {contact}. — {speaker}",
    };

    public static RenderedStatement Build(StatementParts parts, Playbook? playbook)
    {
        ArgumentNullException.ThrowIfNull(parts);
        var language = string.IsNullOrWhiteSpace(parts.Language) ? "en" : parts.Language.Trim();
        var variables = new Dictionary<string, string>(parts.Variables, StringComparer.Ordinal);
        Set(variables, "what_happened", parts.WhatHappened);
        Set(variables, "what_we_are_doing", parts.WhatWeAreDoing);
        Set(variables, "contact", parts.Contact);
        Set(variables, "speaker", parts.Speaker);

        var missing = new List<string>();
        var text = new List<string>();
        if (Holding(playbook, language) is { } holding)
        {
            var rendered = HoldingStatement.Render(holding.Trim(), variables);
            text.Add(rendered.Text);
            missing.AddRange(rendered.Missing);
        }

        var template = Templates.TryGetValue(language, out var own) ? own
            : Templates.TryGetValue(language.Split('-')[0], out var bas) ? bas
            : Templates["en"];
        var apology = HoldingStatement.Render(template, variables);
        text.Add(apology.Text);
        missing.AddRange(apology.Missing);
        return new RenderedStatement(string.Join("\n\n", text), missing.Distinct(StringComparer.Ordinal).ToList());
    }

    /// <summary>The playbook's holding statement in the language (exact, then its base language), or none.</summary>
    public static string? Holding(Playbook? playbook, string language)
    {
        if (playbook is null)
        {
            return null;
        }

        var exact = playbook.HoldingStatements.FirstOrDefault(h => string.Equals(h.Language, language, StringComparison.OrdinalIgnoreCase));
        var baseLanguage = language.Split('-')[0];
        return (exact ?? playbook.HoldingStatements.FirstOrDefault(h => string.Equals(h.Language.Split('-')[0], baseLanguage, StringComparison.OrdinalIgnoreCase)))?.Text;
    }

    private static void Set(Dictionary<string, string> variables, string name, string value)
    {
        if (!string.IsNullOrWhiteSpace(value))
        {
            variables[name] = value.Trim();
        }
    }
}
