namespace Firebreak.Core.Connectors;

/// <summary>How a platform call failed; decides what the runner does next.</summary>
public enum FailureKind
{
    /// <summary>401: the credential is no longer valid. The connection is marked revoked and admins are told.</summary>
    Revoked,

    /// <summary>403: valid credential, but not allowed (scope, private account, API tier). Not retried automatically.</summary>
    Forbidden,

    /// <summary>429 after the allowed waits, 5xx, a timeout or a dropped connection: retried later.</summary>
    Transient,

    /// <summary>The response broke the documented format (bad JSON or XML, truncated, over the size bound).</summary>
    Malformed,

    /// <summary>Any other 4xx: our request is wrong for this platform (e.g. an unknown hashtag or a retired API version).</summary>
    Rejected,
}

/// <summary>A failed platform call, with what failed and where, for the health record and the person reading it.</summary>
public sealed class ConnectorException(string connector, FailureKind kind, string message, int? status = null, Exception? inner = null)
    : Exception($"{connector}: {message}", inner)
{
    public string Connector { get; } = connector;

    public FailureKind Kind { get; } = kind;

    public int? Status { get; } = status;

    /// <summary>
    /// A write (POST) got no clear answer (timeout, dropped connection, 5xx): the platform may or may not have acted, so it
    /// was not sent again. The caller must look before sending again (read back, then decide).
    /// </summary>
    public bool Uncertain { get; init; }
}

/// <summary>An item that could not be read (malformed or truncated), recorded beside the valid ones, which are kept.</summary>
/// <param name="Position">Where: "item 3", "event at time_us 1725911162329308", "line 12, column 4".</param>
public sealed record ItemError(string Connector, string Position, string Reason);
