namespace Firebreak.Web.Auth;

using System.Security.Cryptography;
using System.Text;
using Firebreak.Core.Security;
using Firebreak.Web.Hosting;
using Microsoft.Extensions.Logging;

/// <summary>
/// First run: while no account exists, creating the owner needs this one-time token, generated at start, written to
/// <c>&lt;data folder&gt;/setup-token</c> (owner-readable only) and logged — so nobody else on the network can claim the
/// instance before its operator. Void once the owner exists.
/// </summary>
public sealed class SetupToken(IAccountStore accounts, FirebreakOptions options, ILogger<SetupToken> logger)
{
    public const string FileName = "setup-token";
    private volatile bool accountsExist;

    /// <summary>The token while setup is open, else null.</summary>
    public string? Value { get; private set; }

    public bool NeedsSetup => !accountsExist;

    public string FilePath => Path.Combine(options.DataDirectory, FileName);

    /// <summary>Called once at start, after migrations.</summary>
    public async Task InitialiseAsync(CancellationToken cancellationToken)
    {
        accountsExist = await accounts.CountAsync(cancellationToken).ConfigureAwait(false) > 0;
        if (accountsExist)
        {
            TryDelete();
            return;
        }

        Value = SecretTokens.NewLinkToken();
        Directory.CreateDirectory(options.DataDirectory);
        var file = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            file.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        await using (var stream = new FileStream(FilePath, file))
        {
            await stream.WriteAsync(Encoding.ASCII.GetBytes(Value + "\n"), cancellationToken).ConfigureAwait(false);
        }

        logger.LogWarning("First run: no account exists yet. Open /setup?token={Token} to create the owner account (the token is also in {File}).", Value, FilePath);
    }

    /// <summary>Constant-time check of a presented token.</summary>
    public bool Matches(string? presented) =>
        Value is { } expected && presented is not null
        && CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(expected)), SHA256.HashData(Encoding.UTF8.GetBytes(presented.Trim())));

    /// <summary>The owner exists: the token is void from now on.</summary>
    public void Complete()
    {
        accountsExist = true;
        Value = null;
        TryDelete();
    }

    private void TryDelete()
    {
        try
        {
            File.Delete(FilePath);
        }
        catch (IOException)
        {
            // A leftover file holds a token that no longer works; nothing to protect.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
