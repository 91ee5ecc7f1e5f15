namespace Firebreak.Core.Security;

using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;

/// <summary>
/// RFC 6238 time-based one-time passwords as authenticator apps make them: HMAC-SHA1, 6 digits, 30-second steps.
/// A code is accepted one step either side (clock drift); the caller stores the step used so no code works twice.
/// </summary>
public static class Totp
{
    public const int StepSeconds = 30;
    public const int Digits = 6;
    public const string Issuer = "Firebreak";

    /// <summary>A new 160-bit secret (the size RFC 4226 recommends for HMAC-SHA1).</summary>
    public static byte[] NewSecret() => RandomNumberGenerator.GetBytes(20);

    public static long StepAt(DateTimeOffset time) => time.ToUnixTimeSeconds() / StepSeconds;

    /// <summary>The code for one step, with <paramref name="digits"/> digits and the given HMAC (the RFC's vectors also use SHA-256 and SHA-512).</summary>
    public static string Code(byte[] secret, long step, int digits = Digits, HashAlgorithmName? algorithm = null)
    {
        Span<byte> counter = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(counter, step);
        var name = algorithm ?? HashAlgorithmName.SHA1;
        byte[] mac = name == HashAlgorithmName.SHA256 ? HMACSHA256.HashData(secret, counter)
            : name == HashAlgorithmName.SHA512 ? HMACSHA512.HashData(secret, counter)
            : HMACSHA1.HashData(secret, counter);
        var offset = mac[^1] & 0x0F;
        var binary = ((mac[offset] & 0x7F) << 24) | (mac[offset + 1] << 16) | (mac[offset + 2] << 8) | mac[offset + 3];
        var modulo = (int)Math.Pow(10, digits);
        return (binary % modulo).ToString(CultureInfo.InvariantCulture).PadLeft(digits, '0');
    }

    /// <summary>The step <paramref name="code"/> belongs to (now, or one step either side), or null when it matches none.</summary>
    public static long? Match(byte[] secret, string code, DateTimeOffset now)
    {
        var digits = new string([.. code.Where(c => !char.IsWhiteSpace(c))]);
        if (digits.Length != Digits || !digits.All(char.IsAsciiDigit))
        {
            return null;
        }

        var current = StepAt(now);
        long? found = null;
        // Every candidate is computed and compared in constant time, so timing does not tell which step matched.
        for (var step = current - 1; step <= current + 1; step++)
        {
            if (CryptographicOperations.FixedTimeEquals(System.Text.Encoding.ASCII.GetBytes(Code(secret, step)), System.Text.Encoding.ASCII.GetBytes(digits)))
            {
                found ??= step;
            }
        }

        return found;
    }

    /// <summary>The otpauth:// URI an authenticator app reads from a QR code.</summary>
    public static string Uri(byte[] secret, string accountEmail) =>
        $"otpauth://totp/{System.Uri.EscapeDataString(Issuer)}:{System.Uri.EscapeDataString(accountEmail)}?secret={Base32.Encode(secret)}&issuer={System.Uri.EscapeDataString(Issuer)}&algorithm=SHA1&digits={Digits}&period={StepSeconds}";
}
