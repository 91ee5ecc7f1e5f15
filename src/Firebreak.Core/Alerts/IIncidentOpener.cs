namespace Firebreak.Core.Alerts;

using System.Collections.Concurrent;

/// <summary>A request to turn an alert into an incident.</summary>
/// <param name="Alert">The alert as promoted.</param>
/// <param name="RequestedBy">Who asked.</param>
/// <param name="Note">Why, if they said.</param>
/// <param name="At">When.</param>
public sealed record IncidentRequest(Alert Alert, string RequestedBy, string? Note, DateTimeOffset At);

/// <summary>
/// The seam to the crisis room: opens an incident for a promoted alert and returns its id. The alert is marked
/// promoted before this is called (exactly once per alert), and the returned id is stored on it.
/// </summary>
public interface IIncidentOpener
{
    /// <returns>The incident's id, or null when the request is only recorded for now.</returns>
    Task<string?> OpenAsync(IncidentRequest request, CancellationToken cancellationToken);
}

/// <summary>
/// Until the crisis room exists: keeps the request (the alert's PromotedAt/PromotedBy and its history already
/// say it was asked for) and opens nothing, so the alert's IncidentId stays null.
/// </summary>
public sealed class RecordingIncidentOpener : IIncidentOpener
{
    private readonly ConcurrentQueue<IncidentRequest> requests = new();

    /// <summary>Requests received since start, oldest first.</summary>
    public IReadOnlyCollection<IncidentRequest> Requests => requests;

    /// <inheritdoc />
    public Task<string?> OpenAsync(IncidentRequest request, CancellationToken cancellationToken)
    {
        requests.Enqueue(request);
        return Task.FromResult<string?>(null);
    }
}
