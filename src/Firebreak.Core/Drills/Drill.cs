namespace Firebreak.Core.Drills;

/// <summary>Where a drill is: its stream is playing and people respond, or it was ended and scored.</summary>
public enum DrillState
{
    Running = 1,
    Ended = 2,
}

/// <summary>A role-play prompt that has gone into the sandbox's stream.</summary>
/// <param name="Key">The inject's key in the scenario's script.</param>
/// <param name="ExternalId">The mention's external id in the sandbox (so a reply to it can be recognised).</param>
/// <param name="FiredAt">When it went in.</param>
/// <param name="OnTimeline">Whether it was written to the drill's incident timeline yet (none existed when it fired).</param>
public sealed record FiredInject(string Key, string Title, string ExternalId, DateTimeOffset FiredAt, bool OnTimeline);

/// <summary>
/// A rehearsal: a playbook run against a simulated crisis in a sandbox copy of a workspace. The sandbox is an ordinary
/// workspace (real pipeline, alerts, inbox), marked here so nothing in it is ever published or sent.
/// </summary>
/// <param name="WorkspaceId">The parent (real) workspace the drill belongs to; its history lists the drill.</param>
/// <param name="SandboxId">The sandbox workspace the stream plays into.</param>
/// <param name="Number">1, 2, 3 … per parent workspace ("Acme (drill 3)").</param>
/// <param name="BurstAt">When the scenario's burst starts on the wall clock (the reference for time to detect).</param>
/// <param name="StreamEndsAt">When the compressed stream ends on the wall clock.</param>
public sealed record Drill(
    long Id,
    long WorkspaceId,
    long SandboxId,
    int Number,
    string PlaybookKey,
    string Scenario,
    double Speed,
    double RatePerMinute,
    int Minutes,
    DrillState State,
    DateTimeOffset StartedAt,
    DateTimeOffset BurstAt,
    DateTimeOffset StreamEndsAt,
    DateTimeOffset? EndedAt,
    long? StartedById,
    string StartedBy,
    IReadOnlyList<FiredInject> Injects,
    DrillScore? Score);

/// <summary>Drills, per parent workspace; one implementation for both providers.</summary>
public interface IDrillStore
{
    /// <summary>Inserts with the next number of the parent workspace; returns the drill with its id and number.</summary>
    Task<Drill> AddAsync(Drill drill, CancellationToken cancellationToken);

    /// <summary>The number the parent's next drill will get.</summary>
    Task<int> NextNumberAsync(long workspaceId, CancellationToken cancellationToken);

    Task<Drill?> GetAsync(long workspaceId, long id, CancellationToken cancellationToken);

    Task<Drill?> GetByIdAsync(long id, CancellationToken cancellationToken);

    /// <summary>Newest first.</summary>
    Task<IReadOnlyList<Drill>> ListAsync(long workspaceId, int limit, CancellationToken cancellationToken);

    Task<Drill?> FindBySandboxAsync(long sandboxId, CancellationToken cancellationToken);

    /// <summary>Sets when the drill's clock started, its burst and the end of its stream.</summary>
    Task SetScheduleAsync(long id, DateTimeOffset startedAt, DateTimeOffset burstAt, DateTimeOffset streamEndsAt, CancellationToken cancellationToken);

    /// <summary>Saves the injects fired so far.</summary>
    Task SetInjectsAsync(long id, IReadOnlyList<FiredInject> injects, CancellationToken cancellationToken);

    /// <summary>Ends a running drill with its score; false when it was already ended (someone else ended it first).</summary>
    Task<bool> EndAsync(long id, DateTimeOffset at, DrillScore score, CancellationToken cancellationToken);
}

/// <summary>
/// Whether a workspace is a drill sandbox. Everything that publishes or sends (replies, posts, the outbox) asks this
/// before anything leaves: a sandbox's replies are kept as "drill, not sent".
/// </summary>
public interface IDrillSandboxes
{
    Task<bool> IsSandboxAsync(long workspaceId, CancellationToken cancellationToken);
}

/// <summary>The sandbox check over the drill store (one indexed lookup).</summary>
public sealed class DrillSandboxes(IDrillStore store) : IDrillSandboxes
{
    public async Task<bool> IsSandboxAsync(long workspaceId, CancellationToken cancellationToken) =>
        await store.FindBySandboxAsync(workspaceId, cancellationToken).ConfigureAwait(false) is not null;
}
