namespace Firebreak.Core.Alerts;

/// <summary>
/// Told about every alert change the <see cref="AlertManager"/> saved, with the alert as it was before (null for a new
/// one). Why a callback after the save rather than reading the alert history: the manager is the only writer of
/// alerts, it already knows both states, and a before/after pair says "severity rose", "acknowledged" or "resolved"
/// exactly, whereas history entries are sentences for people and polling them would add a cursor and a delay.
/// Called on the node that made the change, after the commit; an observer must be quick and must not throw (the
/// change is saved whatever it does).
/// </summary>
public interface IAlertObserver
{
    Task AlertSavedAsync(Alert? before, Alert saved, CancellationToken cancellationToken);
}
