namespace Firebreak.Core.Security;

using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

/// <summary>
/// Computes and checks the audit log's hash chain. The key is derived from the server secret (never stored in the
/// database), so someone with only database access can edit rows but cannot make the chain agree again.
/// </summary>
public sealed class AuditChain(byte[] key)
{
    /// <summary>The previous hash of the first entry.</summary>
    public static readonly string Genesis = new('0', 64);

    public string Hash(string previousHash, long sequence, DateTimeOffset at, AuditRecord record)
    {
        // A JSON array is an unambiguous encoding: no field can bleed into the next the way plain concatenation could.
        var canonical = JsonSerializer.Serialize(new object?[]
        {
            sequence, at.ToUnixTimeMilliseconds(), record.ActorId, record.ActorName, record.WorkspaceId, record.Action, record.Target, record.Detail, record.ClientIp,
        });
        return Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(previousHash + "\n" + canonical)));
    }

    public string Hash(string previousHash, AuditEntry entry) =>
        Hash(previousHash, entry.Sequence, entry.At, new AuditRecord(entry.ActorId, entry.ActorName, entry.WorkspaceId, entry.Action, entry.Target, entry.Detail, entry.ClientIp));

    /// <summary>Walks the entries in sequence order; the first that is missing, out of order or altered is reported.</summary>
    public async Task<AuditVerification> VerifyAsync(IAsyncEnumerable<AuditEntry> entries, CancellationToken cancellationToken)
    {
        var previous = Genesis;
        long expected = 1, count = 0;
        await foreach (var entry in entries.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            if (entry.Sequence != expected)
            {
                return new AuditVerification(count, expected, $"entry {expected} is missing (the next one is {entry.Sequence})");
            }

            var hash = Hash(previous, entry);
            if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(hash), Encoding.ASCII.GetBytes(entry.Hash)))
            {
                return new AuditVerification(count, entry.Sequence, $"entry {entry.Sequence} was altered, or the chain before it was rewritten");
            }

            previous = entry.Hash;
            expected++;
            count++;
        }

        return new AuditVerification(count, null, null);
    }
}
