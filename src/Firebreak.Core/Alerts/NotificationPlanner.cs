namespace Firebreak.Core.Alerts;

using System.Globalization;
using Firebreak.Core.Detection;

/// <summary>The alert with its "who was told" bookkeeping updated, the history entries and the deliveries to queue.</summary>
public sealed record PlannedNotifications(Alert Alert, IReadOnlyList<AlertEventDraft> Events, IReadOnlyList<DeliveryDraft> Deliveries);

/// <summary>
/// Decides who is told about an alert, and through what, for one snapshot of the workspace's configuration.
/// <list type="bullet">
/// <item>Paging (opened, severity rose): the on-call person the alert has reached (the primary at first), the rules'
/// direct contacts and addresses, and, when severity rose, everyone told before. A person already told about this
/// severity or higher is skipped (de-duplication); only a higher severity or an escalation tells them again.</item>
/// <item>Quiet hours: a person in their quiet hours is skipped unless they are the on-call person being paged or the
/// alert is Critical. Skipped people are not marked as told, so a later Critical still reaches them.</item>
/// <item>Escalation: the next person of the rotation, skipping (and recording) those in quiet hours unless Critical.</item>
/// <item>Team channels (webhooks, Slack, Teams, in-app) get every lifecycle step once: opened, each severity rise,
/// each escalation, acknowledged, resolved.</item>
/// </list>
/// </summary>
public sealed class NotificationPlanner(AlertContext context, DateTimeOffset now)
{
    private sealed record Person(string Key, long? ContactId, string Name, string? Email, QuietHours? Quiet, bool OnCall)
    {
        public static Person Of(AlertContact c, bool onCall) => new(c.Key, c.Id, c.Name, c.Email, c.QuietHours, onCall);

        public static Person OfEmail(string address) => new(EmailKey(address), null, address, address, null, false);

        public PagedPerson Paged => new(ContactId, Name, Email, OnCall);
    }

    public static string EmailKey(string address) => "email:" + address.Trim().ToLowerInvariant();

    /// <summary>Opened or severity rose: page the people the alert's rules name (see the class summary).</summary>
    public PlannedNotifications Page(Alert alert, NotificationReason reason, DetectionSeverity? previousSeverity)
    {
        var rules = context.Resolve(alert.RuleIds);
        var candidates = new List<Person>();
        if (rules.Any(r => r.OnCall) && context.Rotation.Count > 0)
        {
            candidates.Add(Person.Of(context.Rotation[Math.Min(alert.EscalationLevel, context.Rotation.Count - 1)], onCall: true));
        }

        foreach (var rule in rules)
        {
            candidates.AddRange(rule.ContactIds.Select(context.Contact).OfType<AlertContact>().Where(c => c.Enabled).Select(c => Person.Of(c, onCall: false)));
            candidates.AddRange(rule.Emails.Select(Person.OfEmail));
        }

        if (reason == NotificationReason.SeverityRaised)
        {
            // Whoever heard of it before hears that it got worse.
            candidates.AddRange(alert.Notified.Keys.Select(FromKey).OfType<Person>());
        }

        var events = new List<AlertEventDraft>();
        var notified = new Dictionary<string, DetectionSeverity>(alert.Notified);
        var paged = new List<Person>();
        foreach (var person in candidates.DistinctBy(p => p.Key))
        {
            if (notified.TryGetValue(person.Key, out var told) && told >= alert.Severity)
            {
                continue;
            }

            if (!person.OnCall && IsQuiet(person, alert.Severity))
            {
                events.Add(Suppressed(alert, $"{person.Name} not notified: quiet hours ({Describe(person.Quiet!)})"));
                continue;
            }

            notified[person.Key] = alert.Severity;
            paged.Add(person);
        }

        alert = alert with { Notified = notified };
        return new PlannedNotifications(alert, events, Deliveries(alert, rules, reason, previousSeverity, actor: null, paged, events));
    }

    /// <summary>
    /// Pages the next reachable person of the rotation; null when there is nobody after the current one. When
    /// everyone left is in quiet hours (and the alert is not Critical) the escalation ends at the rotation's end.
    /// </summary>
    public PlannedNotifications? Escalate(Alert alert, TimeSpan waited)
    {
        var rules = context.Resolve(alert.RuleIds);
        var rotation = context.Rotation;
        if (!rules.Any(r => r.OnCall) || alert.EscalationLevel >= rotation.Count - 1)
        {
            return null;
        }

        var events = new List<AlertEventDraft>();
        for (var level = alert.EscalationLevel + 1; level < rotation.Count; level++)
        {
            var person = Person.Of(rotation[level], onCall: true);
            if (IsQuiet(person, alert.Severity))
            {
                events.Add(Suppressed(alert, $"escalation skipped {person.Name}: quiet hours ({Describe(person.Quiet!)})"));
                continue;
            }

            var notified = new Dictionary<string, DetectionSeverity>(alert.Notified);
            notified[person.Key] = notified.TryGetValue(person.Key, out var told) && told > alert.Severity ? told : alert.Severity;
            alert = alert with { EscalationLevel = level, EscalationFrom = now, Notified = notified };
            events.Add(new AlertEventDraft(AlertEventKind.Escalated, now, AlertManager.SystemActor,
                $"escalated to {person.Name} (on-call #{level + 1}): not acknowledged within {Minutes(waited)}", alert.Severity, Recipient: person.Name));
            return new PlannedNotifications(alert, events, Deliveries(alert, rules, NotificationReason.Escalated, null, null, [person], events));
        }

        alert = alert with { EscalationLevel = rotation.Count - 1, EscalationFrom = now };
        events.Add(new AlertEventDraft(AlertEventKind.Escalated, now, AlertManager.SystemActor, "escalation reached the end of the on-call rotation: nobody else can be paged", alert.Severity));
        return new PlannedNotifications(alert, events, []);
    }

    /// <summary>Acknowledged or resolved: the team channels hear it; nobody is paged.</summary>
    public PlannedNotifications Announce(Alert alert, NotificationReason reason, string? actor)
    {
        var events = new List<AlertEventDraft>();
        return new PlannedNotifications(alert, events, Deliveries(alert, context.Resolve(alert.RuleIds), reason, null, actor, [], events));
    }

    private List<DeliveryDraft> Deliveries(Alert alert, IReadOnlyList<AlertRule> rules, NotificationReason reason, DetectionSeverity? previous, string? actor, List<Person> paged, List<AlertEventDraft> events)
    {
        var notification = Notification(alert, reason, previous, actor, paged);
        var targets = rules.SelectMany(r => r.ChannelIds).Distinct().Select(context.Channel).OfType<ChannelTarget>().Where(t => t.Enabled).ToList();
        var deliveries = new List<DeliveryDraft>();
        var inApp = rules.Any(r => r.InApp);
        if (inApp)
        {
            deliveries.Add(new DeliveryDraft(ChannelKind.InApp, null, null, null, notification));
        }

        deliveries.AddRange(targets.Where(t => t.Kind is not ChannelKind.Email).Select(t => new DeliveryDraft(t.Kind, t.Id, null, null, notification)));
        var mailers = targets.Where(t => t.Kind == ChannelKind.Email).ToList();
        foreach (var person in paged)
        {
            var reached = person.Email is not null && mailers.Count > 0;
            if (reached)
            {
                deliveries.AddRange(mailers.Select(m => new DeliveryDraft(ChannelKind.Email, m.Id, person.Email, person.Name, notification)));
            }
            else if (!inApp)
            {
                events.Add(Suppressed(alert, $"no channel reaches {person.Name}: {(person.Email is null ? "no e-mail address" : "the rule has no e-mail server")} and in-app is off"));
            }
        }

        return deliveries;
    }

    private AlertNotification Notification(Alert alert, NotificationReason reason, DetectionSeverity? previous, string? actor, List<Person> paged) => new(
        reason,
        alert.Id,
        alert.Version + 1,
        alert.WorkspaceId,
        context.Workspace.Slug,
        context.Workspace.Name,
        alert.TopicId,
        context.TopicName(alert.TopicId),
        alert.Signal,
        alert.Dimension,
        alert.State,
        alert.Severity,
        previous,
        alert.PeakScore,
        alert.LastObserved,
        alert.PeakExpected,
        alert.DetectionCount,
        alert.Explanation,
        alert.TopTerms,
        alert.SampleMentionIds,
        alert.OpenedAt,
        alert.LastSeenAt,
        now,
        actor,
        [.. paged.Select(p => p.Paged)]);

    private Person? FromKey(string key)
    {
        if (key.StartsWith("contact:", StringComparison.Ordinal))
        {
            return long.TryParse(key.AsSpan("contact:".Length), NumberStyles.None, CultureInfo.InvariantCulture, out var id) && context.Contact(id) is { Enabled: true } contact
                ? Person.Of(contact, onCall: false)
                : null;
        }

        return key.StartsWith("email:", StringComparison.Ordinal) ? Person.OfEmail(key["email:".Length..]) : null;
    }

    private bool IsQuiet(Person person, DetectionSeverity severity) =>
        severity < DetectionSeverity.Critical && person.Quiet is { } quiet && quiet.Contains(now);

    private AlertEventDraft Suppressed(Alert alert, string detail) =>
        new(AlertEventKind.Suppressed, now, AlertManager.SystemActor, detail, alert.Severity);

    private static string Describe(QuietHours quiet) =>
        $"{quiet.Start:HH\\:mm}–{quiet.End:HH\\:mm} {quiet.TimeZone}";

    private static string Minutes(TimeSpan span) =>
        span.TotalMinutes >= 1 ? $"{span.TotalMinutes:0.#} min" : $"{span.TotalSeconds:0} s";
}
