namespace Firebreak.Core.Security;

using System.Security.Cryptography;
using System.Text;

/// <summary>
/// Random secrets handed to people once (API tokens, recovery codes, invitation and setup tokens). Only their SHA-256
/// is stored: they carry 128+ bits of randomness, so a fast hash is enough (no password stretching needed).
/// </summary>
public static class SecretTokens
{
    public const string ApiTokenPrefix = "fbk_";

    /// <summary><c>fbk_</c> + 32 random bytes, base64url.</summary>
    public static string NewApiToken() => ApiTokenPrefix + Base64Url(RandomNumberGenerator.GetBytes(32));

    /// <summary>A one-time link token (invitation, first-run setup).</summary>
    public static string NewLinkToken() => Base64Url(RandomNumberGenerator.GetBytes(24));

    /// <summary>A recovery code people can type: 10 characters of Base32 in two groups, e.g. "K7QF2-M9XTA" (50 bits).</summary>
    public static string NewRecoveryCode()
    {
        var text = Base32.Encode(RandomNumberGenerator.GetBytes(7))[..10].ToLowerInvariant();
        return text[..5] + "-" + text[5..];
    }

    /// <summary>Lower case, no dashes or spaces: how a typed recovery code is compared.</summary>
    public static string NormaliseRecoveryCode(string code) =>
        new([.. code.Where(char.IsLetterOrDigit).Select(char.ToLowerInvariant)]);

    public static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
