namespace Firebreak.Core.Playbooks;

using System.Globalization;
using System.Text.RegularExpressions;

/// <summary>
/// Reads and validates a playbook file. Never throws for bad input: every problem becomes a <see cref="PlaybookError"/>
/// at the position of the offending key or value, and reading goes on so one pass lists them all.
/// </summary>
internal sealed partial class PlaybookReader
{
    /// <summary>Far beyond any real playbook (the shipped ones are under 20 KB); stops a pasted log from being parsed.</summary>
    public const int MaxFileLength = 256 * 1024;

    private static readonly string[] TopKeys = ["key", "title", "scenario", "summary", "triggers", "severity", "steps", "holding_statements", "approvals", "guidance"];
    private static readonly string[] StepKeys = ["id", "title", "details", "owner", "due", "approval"];
    private static readonly string[] ApprovalKeys = ["action", "role", "steps"];
    private static readonly string[] GuidanceKeys = ["question", "answer"];

    private readonly List<PlaybookError> errors = [];

    public static PlaybookParseResult Parse(string yaml)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        var reader = new PlaybookReader();
        if (yaml.Length > MaxFileLength)
        {
            return new PlaybookParseResult(null, [new PlaybookError(1, 1, $"The file is {yaml.Length:N0} characters; a playbook is at most {MaxFileLength:N0}. Move long background material to a linked document.")]);
        }

        var root = YamlTree.Load(yaml, reader.errors);
        var playbook = root is null ? null : reader.ReadPlaybook(root);
        var ordered = reader.errors.OrderBy(e => e.Line).ThenBy(e => e.Column).ToList();
        return new PlaybookParseResult(ordered.Count == 0 ? playbook : null, ordered);
    }

    private Playbook? ReadPlaybook(YamlNode root)
    {
        if (root is not YamlMap map)
        {
            Error(root, "A playbook file is a mapping of fields ('key: ...', 'title: ...'), not " + Describe(root) + ".");
            return null;
        }

        var fields = Fields(map, TopKeys, "at the top of a playbook");
        var key = Slug(fields, map, "key", "the playbook's key", required: true);
        var title = Text(fields, map, "title", PlaybookVocabulary.MaxTitleLength, required: true, singleLine: true);
        var scenario = OneOf(fields, map, "scenario", PlaybookVocabulary.Scenarios, "scenario type", required: true);
        var summary = Text(fields, map, "summary", PlaybookVocabulary.MaxTextLength, required: true);
        var severity = OneOf(fields, map, "severity", PlaybookVocabulary.Severities, "severity", required: true);
        var triggers = List(fields, "triggers", item => TextValue(item, "a trigger", PlaybookVocabulary.MaxTriggerLength, singleLine: true));
        var steps = Steps(fields, map);
        var statements = Statements(fields, map);
        var approvals = List(fields, "approvals", item => Approval(item, steps));
        var guidance = List(fields, "guidance", Guidance);

        return new Playbook(
            key ?? string.Empty,
            title ?? string.Empty,
            scenario ?? string.Empty,
            summary ?? string.Empty,
            Present(triggers),
            severity ?? string.Empty,
            steps.Select(s => s.Step).ToList(),
            statements,
            Present(approvals),
            Present(guidance));
    }

    private List<(PlaybookStep Step, YamlNode Node)> Steps(Dictionary<string, (YamlText Key, YamlNode Value)> fields, YamlMap map)
    {
        var steps = new List<(PlaybookStep, YamlNode)>();
        if (!fields.TryGetValue("steps", out var entry) || entry.Value is YamlText { IsNull: true })
        {
            Error(map, "'steps' is required: the list of what to do, each with an id and a title.");
            return steps;
        }

        if (entry.Value is not YamlList list || list.Items.Count == 0)
        {
            Error(entry.Value, "'steps' must be a list of steps ('- id: ...'), with at least one.");
            return steps;
        }

        if (list.Items.Count > PlaybookVocabulary.MaxSteps)
        {
            Error(list, $"{list.Items.Count} steps; a playbook has at most {PlaybookVocabulary.MaxSteps}. Split it into two playbooks.");
        }

        var seen = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
        foreach (var item in list.Items)
        {
            if (item is not YamlMap step)
            {
                Error(item, "A step is a mapping ('- id: ...' then 'title: ...' indented under it), not " + Describe(item) + ".");
                continue;
            }

            var f = Fields(step, StepKeys, "in a step");
            var id = Slug(f, step, "id", "a step id", required: true);
            if (id is not null)
            {
                if (seen.TryGetValue(id, out var first))
                {
                    Error(f["id"].Value, $"Step id '{id}' is already used by the step at line {first.Line}; step ids must be unique.");
                }
                else
                {
                    seen[id] = f["id"].Value;
                }
            }

            var title = Text(f, step, "title", PlaybookVocabulary.MaxTitleLength, required: true, singleLine: true);
            var details = Text(f, step, "details", PlaybookVocabulary.MaxTextLength, required: false);
            var owner = OneOf(f, step, "owner", PlaybookVocabulary.Roles, "incident role", required: false);
            var approval = OneOf(f, step, "approval", PlaybookVocabulary.Roles, "incident role", required: false);
            var due = Due(f);
            steps.Add((new PlaybookStep(id ?? string.Empty, title ?? string.Empty, details, owner, due, approval), step));
        }

        return steps;
    }

    private int? Due(Dictionary<string, (YamlText Key, YamlNode Value)> fields)
    {
        if (!fields.TryGetValue("due", out var entry) || entry.Value is YamlText { IsNull: true })
        {
            return null;
        }

        if (entry.Value is not YamlText text || !long.TryParse(text.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var minutes))
        {
            Error(entry.Value, "'due' is the number of minutes after the incident starts, as a whole number (e.g. 'due: 30'; for two hours write 120).");
            return null;
        }

        if (minutes < 0)
        {
            Error(entry.Value, $"'due' is {minutes}: a deadline counts from the incident's start, so it cannot be negative. Use 0 for 'at once'.");
            return null;
        }

        if (minutes > PlaybookVocabulary.MaxDueMinutes)
        {
            Error(entry.Value, $"'due' is {minutes} minutes, more than a week ({PlaybookVocabulary.MaxDueMinutes}); deadlines are in minutes (2 hours is 120). Leave 'due' out for a step without a deadline.");
            return null;
        }

        return (int)minutes;
    }

    private List<HoldingStatementText> Statements(Dictionary<string, (YamlText Key, YamlNode Value)> fields, YamlMap map)
    {
        var statements = new List<HoldingStatementText>();
        if (!fields.TryGetValue("holding_statements", out var entry) || entry.Value is YamlText { IsNull: true })
        {
            return statements;
        }

        if (entry.Value is not YamlMap languages)
        {
            Error(entry.Value, "'holding_statements' maps a language code to its text (e.g. 'en: |' then the statement indented below).");
            return statements;
        }

        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (language, value) in languages.Entries)
        {
            if (!LanguageCode().IsMatch(language.Value))
            {
                Error(language, $"'{Clip(language.Value)}' is not a language code: use an ISO 639 code such as 'en', 'es', 'ar', optionally with a region ('pt-BR').");
                continue;
            }

            if (!seen.Add(language.Value))
            {
                Error(language, $"The statement in '{language.Value}' is given twice; keep one.");
                continue;
            }

            if (TextValue(value, $"the '{language.Value}' statement", PlaybookVocabulary.MaxStatementLength, singleLine: false) is { } text)
            {
                statements.Add(new HoldingStatementText(language.Value, text));
            }
        }

        return statements;
    }

    private PlaybookApproval? Approval(YamlNode item, List<(PlaybookStep Step, YamlNode Node)> steps)
    {
        if (item is not YamlMap map)
        {
            Error(item, "An approval is a mapping with 'action' (what needs approving) and 'role' (who approves).");
            return null;
        }

        var f = Fields(map, ApprovalKeys, "in an approval");
        var action = Text(f, map, "action", PlaybookVocabulary.MaxTitleLength, required: true, singleLine: true);
        var role = OneOf(f, map, "role", PlaybookVocabulary.Roles, "incident role", required: true);
        var named = new List<string>();
        if (f.TryGetValue("steps", out var entry) && entry.Value is not YamlText { IsNull: true })
        {
            if (entry.Value is not YamlList list)
            {
                Error(entry.Value, "'steps' in an approval is a list of step ids, e.g. '[post-holding, reply-press]'.");
            }
            else
            {
                foreach (var stepNode in list.Items)
                {
                    if (stepNode is not YamlText { IsNull: false } stepId)
                    {
                        Error(stepNode, "A step id here is a name such as 'post-holding'.");
                    }
                    else if (!steps.Any(s => s.Step.Id == stepId.Value))
                    {
                        Error(stepId, $"This approval names step '{Clip(stepId.Value)}', which is not in this playbook. Step ids: {string.Join(", ", steps.Select(s => s.Step.Id))}.");
                    }
                    else
                    {
                        named.Add(stepId.Value);
                    }
                }
            }
        }

        return action is null || role is null ? null : new PlaybookApproval(action, role, named);
    }

    private DecisionGuidance? Guidance(YamlNode item)
    {
        if (item is not YamlMap map)
        {
            Error(item, "Guidance is a mapping with 'question' (the hard call) and 'answer' (how to make it).");
            return null;
        }

        var f = Fields(map, GuidanceKeys, "in guidance");
        var question = Text(f, map, "question", PlaybookVocabulary.MaxTitleLength, required: true, singleLine: true);
        var answer = Text(f, map, "answer", PlaybookVocabulary.MaxTextLength, required: true);
        return question is null || answer is null ? null : new DecisionGuidance(question, answer);
    }

    /// <summary>The mapping's fields by name; unknown and repeated keys are reported where they are.</summary>
    private Dictionary<string, (YamlText Key, YamlNode Value)> Fields(YamlMap map, string[] allowed, string where)
    {
        var fields = new Dictionary<string, (YamlText Key, YamlNode Value)>(StringComparer.Ordinal);
        foreach (var (key, value) in map.Entries)
        {
            if (!allowed.Contains(key.Value, StringComparer.Ordinal))
            {
                var near = allowed.FirstOrDefault(a => string.Equals(a, key.Value.Replace('-', '_').Trim(), StringComparison.OrdinalIgnoreCase));
                Error(key, $"Unknown key '{Clip(key.Value)}' {where}" + (near is not null ? $"; did you mean '{near}'?" : $"; the keys here are: {string.Join(", ", allowed)}."));
            }
            else if (!fields.TryAdd(key.Value, (key, value)))
            {
                Error(key, $"'{key.Value}' is given twice {where} (first at line {fields[key.Value].Key.Line}); keep one.");
            }
        }

        return fields;
    }

    private string? Text(Dictionary<string, (YamlText Key, YamlNode Value)> fields, YamlMap map, string name, int max, bool required, bool singleLine = false)
    {
        if (!fields.TryGetValue(name, out var entry) || entry.Value is YamlText { IsNull: true } || entry.Value is YamlText t && t.Value.Trim().Length == 0)
        {
            if (required)
            {
                Error(fields.TryGetValue(name, out var empty) ? empty.Key : map, $"'{name}' is required{(fields.ContainsKey(name) ? " and is empty" : " here")}.");
            }

            return null;
        }

        return TextValue(entry.Value, $"'{name}'", max, singleLine);
    }

    private string? TextValue(YamlNode node, string what, int max, bool singleLine)
    {
        if (node is not YamlText { IsNull: false } text)
        {
            Error(node, $"{char.ToUpperInvariant(what[0])}{what[1..]} must be text, not {Describe(node)}.");
            return null;
        }

        var value = text.Value.Trim();
        if (value.Length > max)
        {
            Error(node, $"{char.ToUpperInvariant(what[0])}{what[1..]} is {value.Length:N0} characters; at most {max:N0}. Shorten it; a crisis checklist is read in a hurry.");
            return null;
        }

        if (singleLine && value.Contains('\n', StringComparison.Ordinal))
        {
            Error(node, $"{char.ToUpperInvariant(what[0])}{what[1..]} must be one line.");
            return null;
        }

        return value;
    }

    private string? Slug(Dictionary<string, (YamlText Key, YamlNode Value)> fields, YamlMap map, string name, string what, bool required)
    {
        if (Text(fields, map, name, PlaybookVocabulary.MaxKeyLength, required, singleLine: true) is not { } value)
        {
            return null;
        }

        if (!SlugPattern().IsMatch(value))
        {
            Error(fields[name].Value, $"'{Clip(value)}' is not a valid {what}: use lower-case letters, digits and single hyphens, e.g. 'hacked-account'.");
            return null;
        }

        return value;
    }

    private string? OneOf(Dictionary<string, (YamlText Key, YamlNode Value)> fields, YamlMap map, string name, IReadOnlyList<string> allowed, string what, bool required)
    {
        if (Text(fields, map, name, PlaybookVocabulary.MaxTitleLength, required, singleLine: true) is not { } value)
        {
            return null;
        }

        if (!allowed.Contains(value, StringComparer.Ordinal))
        {
            Error(fields[name].Value, $"Unknown {what} '{Clip(value)}' for '{name}'; use one of: {string.Join(", ", allowed)}.");
            return null;
        }

        return value;
    }

    private List<T?> List<T>(Dictionary<string, (YamlText Key, YamlNode Value)> fields, string name, Func<YamlNode, T?> read)
    {
        if (!fields.TryGetValue(name, out var entry) || entry.Value is YamlText { IsNull: true })
        {
            return [];
        }

        if (entry.Value is not YamlList list)
        {
            Error(entry.Value, $"'{name}' must be a list (each item on its own line starting with '- ').");
            return [];
        }

        return list.Items.Select(read).ToList();
    }

    private static List<T> Present<T>(List<T?> items) => items.Where(i => i is not null).Select(i => i!).ToList();

    private void Error(YamlNode node, string message) => errors.Add(new PlaybookError(node.Line, node.Column, message));

    private static string Describe(YamlNode node) => node switch
    {
        YamlList => "a list",
        YamlMap => "a mapping",
        YamlText { IsNull: true } => "empty",
        _ => "a single value",
    };

    private static string Clip(string value) => value.Length <= 60 ? value : value[..57] + "...";

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$")]
    private static partial Regex SlugPattern();

    /// <summary>ISO 639-1/2 language, optional script or region subtags (BCP 47 shape).</summary>
    [GeneratedRegex("^[a-z]{2,3}(-[A-Za-z]{4})?(-([A-Z]{2}|[0-9]{3}))?$")]
    private static partial Regex LanguageCode();
}
