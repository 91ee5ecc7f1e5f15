namespace Firebreak.Web.Endpoints;

using System.Globalization;
using Firebreak.Core.Mentions;
using Firebreak.Core.Topics.Query;
using Microsoft.AspNetCore.Http;

/// <summary>
/// Reads mention filters from the query string and reports every bad parameter by name, so one request
/// tells the caller all that is wrong with it.
/// </summary>
internal static class MentionFilterBinder
{
    public static (MentionFilter Filter, Dictionary<string, string[]> Errors, QueryError? QueryError) Bind(IQueryCollection query)
    {
        var errors = new Dictionary<string, string[]>();
        long? topic = null;
        if (query.TryGetValue("topic", out var topicValue))
        {
            if (long.TryParse(topicValue, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            {
                topic = id;
            }
            else
            {
                errors["topic"] = ["must be a topic id (a whole number)"];
            }
        }

        var from = Time(query, "from", errors);
        var to = Time(query, "to", errors);
        if (from is not null && to is not null && from >= to)
        {
            errors["to"] = ["must be after 'from'"];
        }

        Sentiment? sentiment = null;
        if (query.TryGetValue("sentiment", out var s))
        {
            if (EnumNames.TryParseSentiment(s, out var parsed))
            {
                sentiment = parsed;
            }
            else
            {
                errors["sentiment"] = ["use one of negative, neutral, positive, unknown"];
            }
        }

        Platform? platform = null;
        if (query.TryGetValue("platform", out var p))
        {
            if (EnumNames.TryParsePlatform(p, out var parsed))
            {
                platform = parsed;
            }
            else
            {
                errors["platform"] = ["use one of " + string.Join(", ", EnumNames.PlatformWireNames)];
            }
        }

        MentionKind? kind = null;
        if (query.TryGetValue("kind", out var k))
        {
            if (EnumNames.TryParseKind(k, out var parsed))
            {
                kind = parsed;
            }
            else
            {
                errors["kind"] = ["use one of " + string.Join(", ", EnumNames.KindWireNames)];
            }
        }

        string? language = null;
        if (query.TryGetValue("lang", out var l))
        {
            language = Core.Ingestion.MentionNormaliser.NormaliseLanguage(l);
            if (language == "und" && !string.Equals(l, "und", StringComparison.OrdinalIgnoreCase))
            {
                errors["lang"] = ["use an ISO 639-1 code such as en, fr, ar, or 'und' for undetermined"];
            }
        }

        var author = query.TryGetValue("author", out var a) ? a.ToString().Trim() : null;
        var text = query.TryGetValue("q", out var q) ? q.ToString() : null;
        QueryError? queryError = null;
        if (!string.IsNullOrWhiteSpace(text) && QueryParser.Parse(text) is { Error: { } error })
        {
            queryError = error;
        }

        var filter = new MentionFilter
        {
            TopicId = topic,
            From = from,
            To = to,
            Sentiment = sentiment,
            Platform = platform,
            Kind = kind,
            Language = language,
            Author = string.IsNullOrEmpty(author) ? null : author,
            Text = string.IsNullOrWhiteSpace(text) ? null : text,
        };
        return (filter, errors, queryError);
    }

    public static DateTimeOffset? Time(IQueryCollection query, string name, Dictionary<string, string[]> errors)
    {
        if (!query.TryGetValue(name, out var value))
        {
            return null;
        }

        if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time))
        {
            return time;
        }

        errors[name] = ["use ISO 8601, e.g. 2026-11-21T14:00:00Z"];
        return null;
    }
}
