namespace Firebreak.Core.Mentions;

/// <summary>Filters for listing and exporting mentions. All are optional and combine with AND.</summary>
public sealed record MentionFilter
{
    public long? TopicId { get; init; }

    public DateTimeOffset? From { get; init; }

    public DateTimeOffset? To { get; init; }

    public Sentiment? Sentiment { get; init; }

    public string? Language { get; init; }

    public Platform? Platform { get; init; }

    public MentionKind? Kind { get; init; }

    public string? Author { get; init; }

    /// <summary>A query in the topic query language, applied to text and fields.</summary>
    public string? Text { get; init; }
}

/// <summary>Position after the last item of a page: (created_at, id) in descending order.</summary>
public readonly record struct MentionCursor(long CreatedAtMs, long Id)
{
    public string Encode() => Convert.ToBase64String(System.Text.Encoding.ASCII.GetBytes($"{CreatedAtMs}:{Id}"))
        .TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static bool TryDecode(string? value, out MentionCursor cursor)
    {
        cursor = default;
        if (string.IsNullOrEmpty(value) || value.Length > 64)
        {
            return false;
        }

        try
        {
            var padded = value.Replace('-', '+').Replace('_', '/');
            padded += new string('=', (4 - (padded.Length % 4)) % 4);
            var text = System.Text.Encoding.ASCII.GetString(Convert.FromBase64String(padded));
            var parts = text.Split(':');
            if (parts.Length == 2 && long.TryParse(parts[0], out var at) && long.TryParse(parts[1], out var id))
            {
                cursor = new MentionCursor(at, id);
                return true;
            }
        }
        catch (FormatException)
        {
        }

        return false;
    }
}

public sealed record MentionPage(IReadOnlyList<Mention> Items, string? NextCursor);

/// <summary>A previous version of an edited mention.</summary>
public sealed record MentionVersion(int Version, string Text, DateTimeOffset CapturedAt, Engagement Engagement);

/// <summary>Read side of the mention store.</summary>
public interface IMentionReader
{
    Task<MentionPage> ListAsync(long workspaceId, MentionFilter filter, MentionCursor? after, int limit, CancellationToken cancellationToken);

    Task<Mention?> GetAsync(long workspaceId, long mentionId, CancellationToken cancellationToken);

    Task<IReadOnlyList<MentionVersion>> GetVersionsAsync(long workspaceId, long mentionId, CancellationToken cancellationToken);

    /// <summary>Every matching mention, newest first, streamed without holding them in memory.</summary>
    IAsyncEnumerable<Mention> StreamAsync(long workspaceId, MentionFilter filter, CancellationToken cancellationToken);

    /// <summary>The newest mentions of a workspace, for previewing a topic query.</summary>
    Task<IReadOnlyList<Mention>> RecentAsync(long workspaceId, int limit, CancellationToken cancellationToken);

    Task<long> CountAsync(long workspaceId, CancellationToken cancellationToken);
}
