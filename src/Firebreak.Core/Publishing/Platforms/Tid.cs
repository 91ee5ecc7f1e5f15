namespace Firebreak.Core.Publishing.Platforms;

using System.Security.Cryptography;
using System.Text;

/// <summary>
/// atproto's timestamp identifier (TID), the usual record key: 64 bits (top bit 0, 53 bits of microseconds since the
/// Unix epoch, 10 bits of clock id) written as 13 characters of base32-sortable ("234567abcdefghijklmnopqrstuvwxyz").
/// The outbox derives one per post revision — its enqueue time and a clock id hashed from (workspace, post, revision) —
/// so every attempt writes the same record key and the PDS cannot hold two copies.
/// </summary>
public static class Tid
{
    private const string Alphabet = "234567abcdefghijklmnopqrstuvwxyz";

    public static string For(DateTimeOffset at, long workspaceId, long postId, int revision)
    {
        var micros = (at.ToUnixTimeMilliseconds() * 1000) & ((1L << 53) - 1);
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{workspaceId}:{postId}:{revision}"));
        var clockId = ((hash[0] << 8) | hash[1]) & 0x3FF;
        return Encode((micros << 10) | (long)clockId);
    }

    public static string Encode(long value)
    {
        Span<char> chars = stackalloc char[13];
        for (var i = 12; i >= 0; i--)
        {
            chars[i] = Alphabet[(int)(value & 31)];
            value >>= 5;
        }

        return new string(chars);
    }

    public static bool IsValid(string text) => text.Length == 13 && text.All(c => Alphabet.Contains(c, StringComparison.Ordinal)) && Alphabet.IndexOf(text[0], StringComparison.Ordinal) < 16;
}
