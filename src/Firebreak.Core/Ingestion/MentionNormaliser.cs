namespace Firebreak.Core.Ingestion;

using System.Text;
using Firebreak.Core.Mentions;

/// <summary>
/// Turns a wire <see cref="MentionInput"/> into a validated <see cref="Mention"/>, or says exactly which
/// field is wrong. Text is kept as the author wrote it (minus characters that cannot be stored);
/// folding for search happens in the tokeniser, never on the stored text.
/// </summary>
public sealed class MentionNormaliser(TimeProvider clock)
{
    public bool TryNormalise(long workspaceId, MentionInput input, string? rawPayload, out Mention? mention, out (string Field, string Reason) error)
    {
        mention = null;
        error = default;
        if (!EnumNames.TryParsePlatform(input.Platform, out var platform))
        {
            error = input.Platform is null
                ? ("platform", "is required; one of " + string.Join(", ", EnumNames.PlatformWireNames))
                : ("platform", $"'{Clip(input.Platform)}' is not a known platform; use one of " + string.Join(", ", EnumNames.PlatformWireNames));
            return false;
        }

        var externalId = input.ExternalId?.Trim();
        if (string.IsNullOrEmpty(externalId))
        {
            error = ("externalId", "is required: the platform's id of the item, used to make ingestion idempotent");
            return false;
        }

        if (externalId.Length > IngestLimits.MaxExternalIdLength)
        {
            error = ("externalId", $"is {externalId.Length} chars; the limit is {IngestLimits.MaxExternalIdLength}");
            return false;
        }

        var kind = MentionKind.Post;
        if (input.Kind is not null && !EnumNames.TryParseKind(input.Kind, out kind))
        {
            error = ("kind", $"'{Clip(input.Kind)}' is not a known kind; use one of " + string.Join(", ", EnumNames.KindWireNames));
            return false;
        }

        if (input.Text is null)
        {
            error = ("text", "is required");
            return false;
        }

        if (input.Text.Length > IngestLimits.MaxTextLength)
        {
            error = ("text", $"is {input.Text.Length:N0} chars; the limit is {IngestLimits.MaxTextLength:N0}");
            return false;
        }

        var handle = input.Author?.Handle?.Trim().TrimStart('@');
        if (string.IsNullOrEmpty(handle))
        {
            error = ("author.handle", "is required");
            return false;
        }

        if (handle.Length > IngestLimits.MaxHandleLength)
        {
            error = ("author.handle", $"is {handle.Length} chars; the limit is {IngestLimits.MaxHandleLength}");
            return false;
        }

        var displayName = input.Author?.DisplayName;
        if (displayName is not null && displayName.Length > IngestLimits.MaxDisplayNameLength)
        {
            error = ("author.displayName", $"is {displayName.Length} chars; the limit is {IngestLimits.MaxDisplayNameLength}");
            return false;
        }

        var followers = input.Author?.Followers ?? 0;
        if (followers < 0)
        {
            error = ("author.followers", "must not be negative");
            return false;
        }

        if (input.CreatedAt is not { } createdAt)
        {
            error = ("createdAt", "is required (ISO 8601 with offset, e.g. 2026-11-21T14:30:00Z)");
            return false;
        }

        var now = clock.GetUtcNow();
        if (createdAt < IngestLimits.EarliestCreatedAt)
        {
            error = ("createdAt", $"{createdAt:O} is before {IngestLimits.EarliestCreatedAt:yyyy-MM-dd}; check the timestamp's unit (seconds vs milliseconds)");
            return false;
        }

        if (createdAt > now + IngestLimits.MaxFutureSkew)
        {
            error = ("createdAt", $"{createdAt:O} is in the future (server time {now:O}); check the time zone or clock");
            return false;
        }

        var url = input.Url?.Trim();
        if (!string.IsNullOrEmpty(url))
        {
            if (url.Length > IngestLimits.MaxUrlLength)
            {
                error = ("url", $"is {url.Length} chars; the limit is {IngestLimits.MaxUrlLength}");
                return false;
            }

            // Only web links are kept: a javascript: or data: URL would become a live link in the UI.
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
            {
                error = ("url", "must be an absolute http(s) URL");
                return false;
            }
        }
        else
        {
            url = null;
        }

        var engagement = input.Engagement;
        if (engagement is not null && (engagement.Likes < 0 || engagement.Shares < 0 || engagement.Replies < 0 || engagement.Views < 0))
        {
            error = ("engagement", "counts must not be negative");
            return false;
        }

        var language = NormaliseLanguage(input.Language);
        mention = new Mention
        {
            WorkspaceId = workspaceId,
            SourceId = input.SourceId,
            Platform = platform,
            ExternalId = externalId,
            Kind = kind,
            Author = new MentionAuthor(Sanitise(handle), displayName is null ? null : Sanitise(displayName), followers, input.Author?.Verified ?? false),
            Text = Sanitise(input.Text),
            Language = language,
            Url = url,
            CreatedAt = createdAt.ToUniversalTime(),
            CapturedAt = now,
            Engagement = engagement is null ? default : new Engagement(engagement.Likes ?? 0, engagement.Shares ?? 0, engagement.Replies ?? 0, engagement.Views ?? 0),
            ParentExternalId = Blank(input.ParentExternalId),
            ThreadExternalId = Blank(input.ThreadExternalId),
            RawPayload = rawPayload,
        };
        return true;
    }

    /// <summary>"fr", "FR", "fr-CA", "fr_CA" all become "fr"; anything else becomes "und" (undetermined).</summary>
    public static string NormaliseLanguage(string? language)
    {
        if (string.IsNullOrWhiteSpace(language))
        {
            return "und";
        }

        var span = language.AsSpan().Trim();
        var cut = span.IndexOfAny('-', '_');
        if (cut > 0)
        {
            span = span[..cut];
        }

        if (span.Length is < 2 or > 3)
        {
            return "und";
        }

        foreach (var c in span)
        {
            if (!char.IsAsciiLetter(c))
            {
                return "und";
            }
        }

        return span.ToString().ToLowerInvariant();
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static string Clip(string value) => value.Length <= 40 ? value : value[..40] + "…";

    /// <summary>
    /// Replaces lone surrogates (which cannot be encoded as UTF-8 and would corrupt the store) and NUL
    /// with U+FFFD; everything else, including RTL marks and zalgo, is kept as written.
    /// </summary>
    public static string Sanitise(string value)
    {
        var span = value.AsSpan();
        var bad = -1;
        for (var i = 0; i < span.Length; i++)
        {
            var c = span[i];
            if (c == '\0')
            {
                bad = i;
                break;
            }

            if (char.IsHighSurrogate(c))
            {
                if (i + 1 < span.Length && char.IsLowSurrogate(span[i + 1]))
                {
                    i++;
                    continue;
                }

                bad = i;
                break;
            }

            if (char.IsLowSurrogate(c))
            {
                bad = i;
                break;
            }
        }

        if (bad < 0)
        {
            return value;
        }

        var builder = new StringBuilder(value.Length);
        builder.Append(span[..bad]);
        for (var i = bad; i < span.Length; i++)
        {
            var c = span[i];
            if (char.IsHighSurrogate(c) && i + 1 < span.Length && char.IsLowSurrogate(span[i + 1]))
            {
                builder.Append(c).Append(span[++i]);
            }
            else if (c == '\0' || char.IsSurrogate(c))
            {
                builder.Append('\uFFFD');
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }
}
