namespace Firebreak.Core.Alerts;

using Firebreak.Core.Detection;
using Firebreak.Core.Workspaces;

/// <summary>
/// One workspace's alerting configuration as read at one moment: its rules, contacts, channel targets and topic
/// names. Decisions are made against one snapshot so a rule edited midway cannot half-apply.
/// </summary>
public sealed class AlertContext
{
    private readonly Dictionary<long, string> topicNames;

    public AlertContext(Workspace workspace, IReadOnlyList<AlertRule> rules, IReadOnlyList<AlertContact> contacts, IReadOnlyList<ChannelTarget> channels, IReadOnlyDictionary<long, string> topicNames)
    {
        Workspace = workspace;
        StoredRules = rules;
        Contacts = contacts;
        Channels = channels;
        this.topicNames = new Dictionary<long, string>(topicNames);
        Rotation = [.. contacts.Where(c => c.Enabled && c.OnCallOrder is not null).OrderBy(c => c.OnCallOrder).ThenBy(c => c.Id)];
        IReadOnlyList<long> email = [.. channels.Where(c => c.Enabled && c.Kind == ChannelKind.Email).Select(c => c.Id)];
        Defaults = DefaultAlertRules.For(workspace.Id, email);
        Publishing = DefaultAlertRules.Publishing(workspace.Id, email);
    }

    /// <summary>The built-in publishing safety rule, which no stored rule can silence (a hacked account must reach someone).</summary>
    public AlertRule Publishing { get; }

    public Workspace Workspace { get; }

    public IReadOnlyList<AlertRule> StoredRules { get; }

    public IReadOnlyList<AlertContact> Contacts { get; }

    public IReadOnlyList<ChannelTarget> Channels { get; }

    /// <summary>The on-call rotation: enabled contacts with an on-call order, first to page first.</summary>
    public IReadOnlyList<AlertContact> Rotation { get; }

    /// <summary>This workspace's built-in defaults.</summary>
    public IReadOnlyList<AlertRule> Defaults { get; }

    /// <summary>The rules in force for a topic: the stored ones covering it (enabled or not), or the defaults when there are none.</summary>
    public IReadOnlyList<AlertRule> RulesFor(long topicId)
    {
        var covering = StoredRules.Where(r => r.Covers(topicId)).ToList();
        return covering.Count > 0 ? covering : Defaults;
    }

    /// <summary>The rules that want an alert for this detection.</summary>
    public IReadOnlyList<AlertRule> Matching(long topicId, DetectionSignal signal, DetectionSeverity severity) =>
        [.. RulesFor(topicId).Where(r => r.Matches(topicId, signal, severity)).Concat(Publishing.Matches(topicId, signal, severity) ? [Publishing] : [])];

    /// <summary>The rules an alert recorded, as they are now (deleted or disabled ones drop out; defaults always resolve).</summary>
    public IReadOnlyList<AlertRule> Resolve(IReadOnlyList<long> ruleIds) =>
        [.. ruleIds.Select(id => id == Publishing.Id ? Publishing : id < 0 ? Defaults.FirstOrDefault(d => d.Id == id) : StoredRules.FirstOrDefault(r => r.Id == id)).OfType<AlertRule>().Where(r => r.Enabled)];

    public AlertContact? Contact(long id) => Contacts.FirstOrDefault(c => c.Id == id);

    public ChannelTarget? Channel(long id) => Channels.FirstOrDefault(c => c.Id == id);

    public string TopicName(long topicId) =>
        topicId == 0 ? "Whole stream" : topicNames.TryGetValue(topicId, out var name) ? name : $"Topic {topicId}";
}
