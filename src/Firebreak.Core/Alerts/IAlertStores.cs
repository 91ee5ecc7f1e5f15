namespace Firebreak.Core.Alerts;

using Firebreak.Core.Detection;

/// <summary>Contacts (people and the on-call rotation), channel targets and rules; one implementation per store provider.</summary>
public interface IAlertConfigStore
{
    Task<IReadOnlyList<AlertContact>> ListContactsAsync(long workspaceId, CancellationToken cancellationToken);

    Task<AlertContact?> GetContactAsync(long workspaceId, long id, CancellationToken cancellationToken);

    /// <summary>Adds a contact (its Id and times are ignored); returns it as stored.</summary>
    Task<AlertContact> AddContactAsync(AlertContact contact, CancellationToken cancellationToken);

    /// <summary>Replaces a contact's fields; null when there is no such contact in the workspace.</summary>
    Task<AlertContact?> UpdateContactAsync(AlertContact contact, CancellationToken cancellationToken);

    Task<bool> DeleteContactAsync(long workspaceId, long id, CancellationToken cancellationToken);

    Task<IReadOnlyList<ChannelTarget>> ListChannelsAsync(long workspaceId, CancellationToken cancellationToken);

    Task<ChannelTarget?> GetChannelAsync(long workspaceId, long id, CancellationToken cancellationToken);

    Task<ChannelTarget> AddChannelAsync(ChannelTarget target, CancellationToken cancellationToken);

    /// <summary>Replaces a target's fields; a null <see cref="ChannelTarget.Secret"/> keeps the stored one.</summary>
    Task<ChannelTarget?> UpdateChannelAsync(ChannelTarget target, CancellationToken cancellationToken);

    Task<bool> DeleteChannelAsync(long workspaceId, long id, CancellationToken cancellationToken);

    Task<IReadOnlyList<AlertRule>> ListRulesAsync(long workspaceId, CancellationToken cancellationToken);

    Task<AlertRule?> GetRuleAsync(long workspaceId, long id, CancellationToken cancellationToken);

    Task<AlertRule> AddRuleAsync(AlertRule rule, CancellationToken cancellationToken);

    Task<AlertRule?> UpdateRuleAsync(AlertRule rule, CancellationToken cancellationToken);

    Task<bool> DeleteRuleAsync(long workspaceId, long id, CancellationToken cancellationToken);
}

/// <summary>Which alerts to list. Null fields do not filter.</summary>
/// <param name="States">Any of these states.</param>
/// <param name="TopicId">One topic.</param>
/// <param name="MinSeverity">At least this severe.</param>
/// <param name="Signal">One signal.</param>
/// <param name="BeforeId">Only ids below this (the next page).</param>
/// <param name="Limit">Page size.</param>
public sealed record AlertFilter(
    IReadOnlyList<AlertState>? States = null,
    long? TopicId = null,
    DetectionSeverity? MinSeverity = null,
    DetectionSignal? Signal = null,
    long? BeforeId = null,
    int Limit = 50);

/// <summary>Alerts and their history; one implementation per store provider.</summary>
public interface IAlertStore
{
    /// <summary>The open or acknowledged alert of an episode, if any (there is at most one).</summary>
    Task<Alert?> FindActiveAsync(long workspaceId, long topicId, DetectionSignal signal, string dimension, CancellationToken cancellationToken);

    Task<Alert?> GetAsync(long workspaceId, long id, CancellationToken cancellationToken);

    /// <summary>Newest first.</summary>
    Task<IReadOnlyList<Alert>> ListAsync(long workspaceId, AlertFilter filter, CancellationToken cancellationToken);

    /// <summary>Open and acknowledged alerts of every workspace, oldest first (the ticker's work list).</summary>
    Task<IReadOnlyList<Alert>> ListActiveAsync(int limit, CancellationToken cancellationToken);

    /// <summary>
    /// Saves a change atomically: inserts when <see cref="Alert.Id"/> is 0 (refused when the episode already has an
    /// active alert), else updates only if the stored version is still <see cref="Alert.Version"/>. Returns the
    /// saved alert (new id, next version), or null when refused: the caller reloads and decides again.
    /// </summary>
    Task<Alert?> SaveAsync(AlertChange change, CancellationToken cancellationToken);

    /// <summary>History, oldest first.</summary>
    Task<IReadOnlyList<AlertEvent>> ListEventsAsync(long workspaceId, long alertId, CancellationToken cancellationToken);
}

/// <summary>The persisted delivery queue and its dead-letter list; one implementation per store provider.</summary>
public interface IAlertOutbox
{
    /// <summary>
    /// Claims up to <paramref name="limit"/> pending deliveries that are due and not claimed by someone else, for
    /// <paramref name="claimFor"/> (a dispatcher that dies leaves them to be claimed again after that).
    /// </summary>
    Task<IReadOnlyList<AlertDelivery>> ClaimDueAsync(DateTimeOffset now, int limit, TimeSpan claimFor, CancellationToken cancellationToken);

    /// <summary>Marks a delivery delivered and records the history entry, in one transaction.</summary>
    Task CompleteAsync(AlertDelivery delivery, DateTimeOffset at, AlertEventDraft notified, CancellationToken cancellationToken);

    /// <summary>Counts a failed attempt and schedules the next one.</summary>
    Task RescheduleAsync(AlertDelivery delivery, DateTimeOffset nextAttemptAt, string error, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>Counts a failed attempt, moves the delivery to the dead-letter list and records the history entry.</summary>
    Task DeadLetterAsync(AlertDelivery delivery, string error, DateTimeOffset at, AlertEventDraft failed, CancellationToken cancellationToken);

    /// <summary>The workspace's dead letters, newest first.</summary>
    Task<IReadOnlyList<AlertDelivery>> ListDeadAsync(long workspaceId, int limit, CancellationToken cancellationToken);

    /// <summary>Every delivery of one alert, oldest first.</summary>
    Task<IReadOnlyList<AlertDelivery>> ListForAlertAsync(long workspaceId, long alertId, CancellationToken cancellationToken);

    /// <summary>Puts a dead letter back in the queue with fresh attempts; null when it is not a dead letter of the workspace.</summary>
    Task<AlertDelivery?> RetryDeadAsync(long workspaceId, long id, DateTimeOffset now, CancellationToken cancellationToken);
}
