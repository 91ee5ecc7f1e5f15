namespace Firebreak.Core.Publishing.Outbox;

/// <summary>The points of a send where a crash test stops the sender (<see cref="OutboxOptions.Fault"/>).</summary>
public enum SendStep
{
    /// <summary>Sending is recorded; the platform has not been called.</summary>
    BeforeCall,

    /// <summary>The platform accepted the post; "sent" is not recorded yet.</summary>
    AfterCall,

    /// <summary>"Sent" is recorded.</summary>
    AfterRecord,
}

/// <summary>How the outbox sender behaves; the defaults suit a normal deployment.</summary>
public sealed class OutboxOptions
{
    /// <summary>This sender's name in leases and heartbeats (the machine and process by default).</summary>
    public string Node { get; set; } = $"{Environment.MachineName}:{Environment.ProcessId}";

    /// <summary>How long a claim holds an item; a sender that dies mid-send leaves it to be reconciled after this.</summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How often the sender looks for due items (and beats).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    public int BatchSize { get; set; } = 20;

    /// <summary>Attempts before a transiently failing item is given up (Failed, visible, retryable by a person).</summary>
    public int MaxAttempts { get; set; } = 8;

    public TimeSpan FirstBackoff { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>The heartbeat watchdog alerts when no sender beat for this long while items are due.</summary>
    public TimeSpan StallAfter { get; set; } = TimeSpan.FromMinutes(3);

    /// <summary>How often the rogue-post alarm reads back each owned account.</summary>
    public TimeSpan ReadBackInterval { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Test seam for crash tests: called at each <see cref="SendStep"/>; throwing there is a crash at that point.</summary>
    public Func<SendStep, OutboxItem, ValueTask>? Fault { get; set; }
}
