namespace Firebreak.Core.Alerts;

/// <summary>Timings and limits of alerting. The defaults suit production; tests shorten them.</summary>
public sealed class AlertOptions
{
    /// <summary>An alert with no detection for this long is resolved, and the next detection opens a new one. Default 30 min.</summary>
    public TimeSpan QuietGap { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>How often the ticker looks for quiet alerts, ended snoozes and due escalations. Default 10 s.</summary>
    public TimeSpan TickInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The longest snooze. Default 7 days.</summary>
    public TimeSpan MaxSnooze { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Detection batches waiting for the alert manager; a full queue makes submitters wait. Default 256.</summary>
    public int SinkCapacity { get; set; } = 256;

    /// <summary>Attempts per delivery before it goes to the dead-letter list. Default 8.</summary>
    public int MaxAttempts { get; set; } = 8;

    /// <summary>Delay before the second attempt; doubled for each further one (with jitter), up to <see cref="RetryMax"/>. Default 5 s.</summary>
    public TimeSpan RetryBase { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The longest delay between attempts. Default 15 min.</summary>
    public TimeSpan RetryMax { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>A receiver's Retry-After is honoured up to this. Default 1 h.</summary>
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromHours(1);

    /// <summary>One delivery attempt may take this long. Default 30 s.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often an idle dispatcher looks at the outbox (it is also woken at once by local changes). Default 1 s.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Deliveries claimed per pass, and sent in parallel at most. Defaults 32 and 8.</summary>
    public int DispatchBatch { get; set; } = 32;

    public int MaxParallelDeliveries { get; set; } = 8;

    /// <summary>A claimed delivery whose dispatcher died is claimed again after this. Default 2 min.</summary>
    public TimeSpan ClaimFor { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Lease life of the escalation ticker and the dispatcher (cluster singletons). Default 15 s.</summary>
    public TimeSpan LeaseTtl { get; set; } = TimeSpan.FromSeconds(15);
}
