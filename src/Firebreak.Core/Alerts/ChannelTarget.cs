namespace Firebreak.Core.Alerts;

/// <summary>How a notification travels. In-app is built in (a rule's InApp flag); the others are configured targets.</summary>
public enum ChannelKind
{
    InApp = 0,
    Email = 1,
    Webhook = 2,
    Slack = 3,
    Teams = 4,
}

/// <summary>How the SMTP connection is protected.</summary>
public enum SmtpSecurity
{
    /// <summary>Plain SMTP (loopback relays only: a password is never sent without TLS unless allowed).</summary>
    None = 0,

    /// <summary>Plain connection upgraded with STARTTLS before anything else is said (port 587).</summary>
    StartTls = 1,

    /// <summary>TLS from the first byte (port 465).</summary>
    Tls = 2,
}

/// <summary>
/// The non-secret settings of a channel target. Webhook: <see cref="Url"/>. Slack and Teams: the URL itself is the
/// secret (anyone holding it can post), so it is kept encrypted and <see cref="Url"/> only shows its origin.
/// E-mail: the SMTP server and the sender.
/// </summary>
public sealed record ChannelSettings(
    string? Url = null,
    string? Host = null,
    int Port = 0,
    SmtpSecurity Security = SmtpSecurity.StartTls,
    string? Username = null,
    string? From = null,
    string? FromName = null,
    bool AllowPlaintextAuth = false);

/// <summary>
/// A place notifications go: an SMTP server (to reach people), a signed webhook, a Slack or Teams incoming webhook.
/// <see cref="Secret"/> is ciphertext (see <see cref="Secrets.ISecretProtector"/>): the webhook signing secret, the
/// SMTP password, or the Slack/Teams URL. It is never returned by the API.
/// </summary>
public sealed record ChannelTarget(
    long Id,
    long WorkspaceId,
    ChannelKind Kind,
    string Name,
    ChannelSettings Settings,
    string? Secret,
    bool Enabled,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    /// <summary>The purpose an encrypted secret of this workspace is bound to (a ciphertext copied elsewhere will not open).</summary>
    public static string SecretPurpose(long workspaceId) => "alert-channel:" + workspaceId.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A short description for history entries: "webhook 'Ops bridge'".</summary>
    public string Label => $"{Kind.ToString().ToLowerInvariant()} '{Name}'";
}
