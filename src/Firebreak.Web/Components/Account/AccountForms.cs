namespace Firebreak.Web.Components.Account;

/// <summary>The sign-in form.</summary>
public sealed class SignInForm
{
    public string? Email { get; set; }

    public string? Password { get; set; }

    public bool Remember { get; set; }
}

/// <summary>A one-time code: TOTP, recovery code or confirmation.</summary>
public sealed class CodeForm
{
    public string? Code { get; set; }
}

/// <summary>First-run owner, or an invited person setting their password.</summary>
public sealed class NewAccountForm
{
    public string? Email { get; set; }

    public string? DisplayName { get; set; }

    public string? Password { get; set; }

    public string? Confirm { get; set; }
}

public sealed class PasswordChangeForm
{
    public string? Current { get; set; }

    public string? Password { get; set; }

    public string? Confirm { get; set; }
}

public sealed class TokenForm
{
    public string? Name { get; set; }

    public bool Read { get; set; } = true;

    public bool Write { get; set; }

    public bool Ingest { get; set; }

    public string? Workspace { get; set; }

    public int? Days { get; set; } = 90;
}

/// <summary>Only a path on this site is a safe place to return to after signing in (never "//evil" or "https://…").</summary>
public static class ReturnUrls
{
    public static string Safe(string? url) =>
        url is { Length: > 0 } u && u[0] == '/' && (u.Length == 1 || (u[1] != '/' && u[1] != '\\')) ? u : "/";
}
