namespace Firebreak.Core.Mentions;

/// <summary>
/// FNV-1a 64-bit over the fields that make a mention "changed". It must be stable across processes and
/// versions (it is stored), which rules out <see cref="HashCode"/>.
/// </summary>
public static class StableHash
{
    private const ulong Offset = 14695981039346656037UL;
    private const ulong Prime = 1099511628211UL;

    public static long Of(Mention mention)
    {
        var h = Offset;
        h = Add(h, mention.Text);
        h = Add(h, mention.Language);
        h = Add(h, mention.Url);
        h = Add(h, mention.Author.DisplayName);
        h = Add(h, mention.Author.Followers);
        h = Add(h, mention.Author.Verified ? 1 : 0);
        h = Add(h, mention.Engagement.Likes);
        h = Add(h, mention.Engagement.Shares);
        h = Add(h, mention.Engagement.Replies);
        h = Add(h, mention.Engagement.Views);
        h = Add(h, mention.Kind.ToWire());
        h = Add(h, mention.ParentExternalId);
        h = Add(h, mention.ThreadExternalId);
        h = Add(h, mention.Author.Handle);
        h = Add(h, mention.CreatedAt.ToUnixTimeMilliseconds());
        return unchecked((long)h);
    }

    public static ulong Add(ulong h, string? value)
    {
        if (value is null)
        {
            return (h ^ 0xFF) * Prime;
        }

        foreach (var c in value)
        {
            h = (h ^ (byte)c) * Prime;
            h = (h ^ (byte)(c >> 8)) * Prime;
        }

        return (h ^ 0xFE) * Prime;
    }

    public static ulong Add(ulong h, long value)
    {
        for (var i = 0; i < 8; i++)
        {
            h = (h ^ (byte)(value >> (i * 8))) * Prime;
        }

        return h;
    }
}
