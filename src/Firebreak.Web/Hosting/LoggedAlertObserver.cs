namespace Firebreak.Web.Hosting;

using Firebreak.Core.Alerts;
using Microsoft.Extensions.Logging;

/// <summary>
/// Keeps an observer's failure from turning a saved alert change into an error: the change is committed whatever the
/// observer does (a missed milestone is logged, the alert keeps working).
/// </summary>
public sealed class LoggedAlertObserver(IAlertObserver inner, ILogger<LoggedAlertObserver> logger) : IAlertObserver
{
    public async Task AlertSavedAsync(Alert? before, Alert saved, CancellationToken cancellationToken)
    {
        try
        {
            await inner.AlertSavedAsync(before, saved, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "Could not record alert {AlertId}'s change on incident {IncidentId}", saved.Id, saved.IncidentId);
        }
    }
}
