namespace Firebreak.Core.Secrets;

using System.Security.Cryptography;
using System.Text;

/// <summary>Encrypts secrets kept in the store (webhook signing secrets, SMTP passwords, Slack/Teams URLs).</summary>
public interface ISecretProtector
{
    /// <summary>Ciphertext for <paramref name="plaintext"/>, bound to <paramref name="purpose"/> (it will only open with the same purpose).</summary>
    string Protect(string plaintext, string purpose);

    /// <summary>The plaintext; throws <see cref="CryptographicException"/> when the key or purpose differs or the text was altered.</summary>
    string Unprotect(string ciphertext, string purpose);

    /// <summary>A 32-byte key for <paramref name="purpose"/> derived from the server secret (HKDF), e.g. the audit chain's HMAC key.</summary>
    byte[] DeriveKey(string purpose);
}

/// <summary>
/// AES-256-GCM with one key. Ciphertext is <c>fbs1.&lt;key id&gt;.&lt;base64url(nonce ‖ ciphertext ‖ tag)&gt;</c>: a fresh
/// 96-bit nonce per secret, the purpose as associated data (a ciphertext copied to another workspace's row does not
/// open), and the key id (first 8 hex digits of SHA-256 of the key) so "encrypted with another key" is told apart
/// from "altered".
/// </summary>
public sealed class AesGcmSecretProtector : ISecretProtector
{
    /// <summary>The environment variable holding the key (base64 of 32 bytes); every node of a cluster must have the same.</summary>
    public const string KeyVariable = "FIREBREAK_SECRET_KEY";

    /// <summary>The key file in the data folder, created on first use when the variable is not set.</summary>
    public const string KeyFileName = "secret.key";

    private const string Prefix = "fbs1";
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private readonly byte[] key;

    public AesGcmSecretProtector(byte[] key)
    {
        if (key.Length != 32)
        {
            throw new ArgumentException("The secret key must be 32 bytes (AES-256).", nameof(key));
        }

        this.key = key;
        KeyId = Convert.ToHexStringLower(SHA256.HashData(key))[..8];
    }

    /// <summary>Identifies the key without revealing it.</summary>
    public string KeyId { get; }

    /// <summary>
    /// The key from <see cref="KeyVariable"/> when given, else from <c>secret.key</c> in <paramref name="dataDirectory"/>,
    /// created there (32 random bytes, base64, readable by the owner only) on first use.
    /// </summary>
    public static AesGcmSecretProtector Load(string? base64Key, string dataDirectory)
    {
        if (!string.IsNullOrWhiteSpace(base64Key))
        {
            return new AesGcmSecretProtector(Decode(base64Key, KeyVariable));
        }

        Directory.CreateDirectory(dataDirectory);
        var path = Path.Combine(dataDirectory, KeyFileName);
        if (!File.Exists(path))
        {
            var fresh = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
            try
            {
                var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
                if (!OperatingSystem.IsWindows())
                {
                    options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
                }

                using var file = new FileStream(path, options);
                file.Write(Encoding.ASCII.GetBytes(fresh + "\n"));
                file.Flush(flushToDisk: true);
            }
            catch (IOException) when (File.Exists(path))
            {
                // Another process created it first: use theirs.
            }
        }

        return new AesGcmSecretProtector(Decode(File.ReadAllText(path), path));
    }

    public string Protect(string plaintext, string purpose)
    {
        var plain = Encoding.UTF8.GetBytes(plaintext);
        var sealedBytes = new byte[NonceSize + plain.Length + TagSize];
        var nonce = sealedBytes.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(key, TagSize);
        aes.Encrypt(nonce, plain, sealedBytes.AsSpan(NonceSize, plain.Length), sealedBytes.AsSpan(NonceSize + plain.Length), Encoding.UTF8.GetBytes(purpose));
        return $"{Prefix}.{KeyId}.{Base64Url(sealedBytes)}";
    }

    public string Unprotect(string ciphertext, string purpose)
    {
        var parts = ciphertext.Split('.');
        if (parts.Length != 3 || parts[0] != Prefix)
        {
            throw new CryptographicException("Not a Firebreak secret.");
        }

        if (parts[1] != KeyId)
        {
            throw new CryptographicException($"This secret was encrypted with key {parts[1]}, not this node's key {KeyId}: give every node the same {KeyVariable}.");
        }

        var sealedBytes = FromBase64Url(parts[2]);
        if (sealedBytes.Length < NonceSize + TagSize)
        {
            throw new CryptographicException("Truncated secret.");
        }

        var length = sealedBytes.Length - NonceSize - TagSize;
        var plain = new byte[length];
        using var aes = new AesGcm(key, TagSize);
        aes.Decrypt(sealedBytes.AsSpan(0, NonceSize), sealedBytes.AsSpan(NonceSize, length), sealedBytes.AsSpan(NonceSize + length), plain, Encoding.UTF8.GetBytes(purpose));
        return Encoding.UTF8.GetString(plain);
    }

    public byte[] DeriveKey(string purpose) =>
        HKDF.DeriveKey(HashAlgorithmName.SHA256, key, 32, salt: [], info: Encoding.UTF8.GetBytes("firebreak:" + purpose));

    private static byte[] Decode(string base64, string source)
    {
        try
        {
            return Convert.FromBase64String(base64.Trim());
        }
        catch (FormatException e)
        {
            throw new InvalidOperationException($"{source} must hold the base64 of 32 random bytes (e.g. from `openssl rand -base64 32`).", e);
        }
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static byte[] FromBase64Url(string text)
    {
        var padded = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(padded + new string('=', (4 - padded.Length % 4) % 4));
    }
}
