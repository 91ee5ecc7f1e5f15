namespace Firebreak.Core.Security;

using System.Globalization;
using System.Security.Cryptography;
using System.Text;

/// <summary>How passwords are hashed. Defaults follow OWASP's 2023 guidance for PBKDF2-HMAC-SHA256.</summary>
public sealed class PasswordHashOptions
{
    /// <summary>The OWASP-recommended iteration count for PBKDF2-HMAC-SHA256.</summary>
    public const int DefaultIterations = 600_000;

    /// <summary>PBKDF2 iterations for new hashes. Default 600,000. Hashes with another count are re-made at the next sign-in.</summary>
    public int Iterations { get; set; } = DefaultIterations;
}

/// <summary>
/// PBKDF2-HMAC-SHA256 hashes in a self-describing format, <c>pbkdf2-sha256$&lt;iterations&gt;$&lt;salt&gt;$&lt;hash&gt;</c>
/// (base64), so the parameters can be raised later without invalidating what is stored.
/// </summary>
public sealed class PasswordHasher(PasswordHashOptions options)
{
    private const string Scheme = "pbkdf2-sha256";
    private const int SaltSize = 16;
    private const int HashSize = 32;

    // A fixed, valid hash used when the e-mail is unknown: the same work is done, so timing does not reveal whether an account exists.
    private readonly Lazy<string> decoy = new(() => new PasswordHasher(options).Hash("decoy-password-never-matches"));

    public string Hash(string password)
    {
        var salt = RandomNumberGenerator.GetBytes(SaltSize);
        var hash = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, options.Iterations, HashAlgorithmName.SHA256, HashSize);
        return string.Join('$', Scheme, options.Iterations.ToString(CultureInfo.InvariantCulture), Convert.ToBase64String(salt), Convert.ToBase64String(hash));
    }

    /// <summary>Whether <paramref name="password"/> matches; <paramref name="needsRehash"/> when the stored parameters differ from today's.</summary>
    public bool Verify(string? stored, string password, out bool needsRehash)
    {
        needsRehash = false;
        var parts = (stored ?? decoy.Value).Split('$');
        if (parts.Length != 4 || parts[0] != Scheme || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var iterations) || iterations < 1)
        {
            return false;
        }

        byte[] salt, expected;
        try
        {
            salt = Convert.FromBase64String(parts[2]);
            expected = Convert.FromBase64String(parts[3]);
        }
        catch (FormatException)
        {
            return false;
        }

        var actual = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA256, expected.Length);
        var ok = CryptographicOperations.FixedTimeEquals(actual, expected) && stored is not null;
        needsRehash = ok && (iterations != options.Iterations || expected.Length != HashSize);
        return ok;
    }

    /// <summary>Spends the time a real verification would (for unknown e-mails).</summary>
    public void VerifyDecoy(string password) => Verify(null, password, out _);
}
