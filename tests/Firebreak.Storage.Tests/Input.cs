using Firebreak.Core.Ingestion;

namespace Firebreak.Storage.Tests;

/// <summary>Wire inputs for tests: valid by default, each field overridable.</summary>
internal static class Input
{
    public static MentionInput Make(
        string externalId,
        string text,
        DateTimeOffset createdAt,
        string platform = "x",
        string? language = "en",
        string handle = "alice",
        long followers = 100,
        string? kind = null,
        long likes = 0,
        long views = 0) => new()
        {
            Platform = platform,
            ExternalId = externalId,
            Kind = kind,
            Author = new AuthorInput { Handle = handle, DisplayName = handle.ToUpperInvariant(), Followers = followers },
            Text = text,
            Language = language,
            Url = $"https://example.com/{platform}/{externalId}",
            CreatedAt = createdAt,
            Engagement = new EngagementInput { Likes = likes, Views = views },
        };

    /// <summary>A second delivery of the same item with some fields changed.</summary>
    public static MentionInput With(this MentionInput input, string? text = null, DateTimeOffset? createdAt = null, string? language = null, long? likes = null, long? views = null) => new()
    {
        Platform = input.Platform,
        ExternalId = input.ExternalId,
        Kind = input.Kind,
        Author = input.Author,
        Text = text ?? input.Text,
        Language = language ?? input.Language,
        Url = input.Url,
        CreatedAt = createdAt ?? input.CreatedAt,
        Engagement = new EngagementInput { Likes = likes ?? input.Engagement?.Likes, Views = views ?? input.Engagement?.Views, Shares = input.Engagement?.Shares, Replies = input.Engagement?.Replies },
        ParentExternalId = input.ParentExternalId,
        ThreadExternalId = input.ThreadExternalId,
        SourceId = input.SourceId,
    };
}
