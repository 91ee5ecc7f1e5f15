using System.Globalization;
using Firebreak.Core.Mentions;

namespace Firebreak.Core.Topics.Query;

/// <summary>Field filters (lang:, platform:, author:, kind:, followers:, verified:).</summary>
public static partial class QueryParser
{
    private sealed partial class Parser
    {
        private QueryNode? ParseField(QueryToken token, string name, string value, int valueStart)
        {
            var field = name.ToLowerInvariant();
            if (value.Length == 0)
            {
                return Fail(token.Start, token.Length, $"Field '{field}' needs a value at position {valueStart}", ValueHint(field));
            }

            switch (field)
            {
                case "lang":
                {
                    var language = MatchSubject.NormaliseLanguage(value);
                    if (!IsLanguageCode(language))
                    {
                        return Fail(valueStart, value.Length, $"Invalid language '{value}' at position {valueStart}; use an ISO 639-1 code such as lang:fr", []);
                    }

                    return new LanguageNode(language);
                }

                case "platform":
                    return EnumNames.TryParsePlatform(value, out var platform)
                        ? new PlatformNode(platform)
                        : Fail(
                            valueStart,
                            value.Length,
                            $"Unknown platform '{value}' at position {valueStart}; expected one of {string.Join(", ", EnumNames.PlatformWireNames)}",
                            EnumNames.PlatformWireNames);
                case "kind":
                    return EnumNames.TryParseKind(value, out var kind)
                        ? new KindNode(kind)
                        : Fail(
                            valueStart,
                            value.Length,
                            $"Unknown kind '{value}' at position {valueStart}; expected one of {string.Join(", ", EnumNames.KindWireNames)}",
                            EnumNames.KindWireNames);
                case "author":
                {
                    var handle = MatchSubject.NormaliseHandle(value);
                    return handle.Length == 0
                        ? Fail(valueStart, value.Length, $"Field 'author' needs a handle at position {valueStart}", ["@handle"])
                        : new AuthorNode(handle);
                }

                case "followers":
                    return ParseFollowers(value, valueStart);
                case "verified":
                    return value.ToLowerInvariant() switch
                    {
                        "true" or "yes" or "1" => new VerifiedNode(true),
                        "false" or "no" or "0" => new VerifiedNode(false),
                        _ => Fail(valueStart, value.Length, $"Field 'verified' takes true or false, not '{value}' (at position {valueStart})", ["true", "false"]),
                    };
                default:
                    return Fail(
                        token.Start,
                        name.Length,
                        $"Unknown field '{name}' at position {token.Start}; expected one of {string.Join(", ", FieldNames)}",
                        FieldNames);
            }
        }

        private QueryNode? ParseFollowers(string value, int valueStart)
        {
            long min = long.MinValue, max = long.MaxValue;
            var ok = true;
            var range = value.IndexOf("..", StringComparison.Ordinal);
            if (range >= 0)
            {
                ok = TryParseCount(value[..range], out min) && TryParseCount(value[(range + 2)..], out max) && min <= max;
            }
            else if (value.StartsWith(">=", StringComparison.Ordinal))
            {
                ok = TryParseCount(value[2..], out min);
            }
            else if (value.StartsWith("<=", StringComparison.Ordinal))
            {
                ok = TryParseCount(value[2..], out max);
            }
            else if (value.StartsWith('>'))
            {
                ok = TryParseCount(value[1..], out min) && min < long.MaxValue;
                min++;
            }
            else if (value.StartsWith('<'))
            {
                ok = TryParseCount(value[1..], out max) && max > 0;
                max--;
            }
            else
            {
                var exact = value.StartsWith('=') ? value[1..] : value;
                ok = TryParseCount(exact, out min);
                max = min;
            }

            return ok
                ? new FollowersNode(min, max)
                : Fail(
                    valueStart,
                    value.Length,
                    $"Invalid followers filter '{value}' at position {valueStart}; use e.g. followers:>10000, followers:<=500 or followers:1000..5000",
                    [">n", ">=n", "<n", "<=n", "n..m"]);
        }

        /// <summary>A non-negative count, optionally with a k or m suffix (10k = 10000).</summary>
        private static bool TryParseCount(string text, out long value)
        {
            value = 0;
            var span = text.AsSpan().Trim();
            long multiplier = 1;
            if (span.Length > 0 && (span[^1] is 'k' or 'K' or 'm' or 'M'))
            {
                multiplier = span[^1] is 'k' or 'K' ? 1_000 : 1_000_000;
                span = span[..^1];
            }

            if (!long.TryParse(span, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number > long.MaxValue / multiplier)
            {
                return false;
            }

            value = number * multiplier;
            return true;
        }

        private static bool IsLanguageCode(string code)
        {
            var parts = code.Split('-');
            if (parts[0].Length is < 2 or > 3 || !parts[0].All(char.IsAsciiLetterLower))
            {
                return false;
            }

            return parts.Skip(1).All(p => p.Length is >= 1 and <= 8 && p.All(char.IsAsciiLetterOrDigit));
        }

        private static IReadOnlyList<string> ValueHint(string field) => field switch
        {
            "platform" => EnumNames.PlatformWireNames,
            "kind" => EnumNames.KindWireNames,
            "verified" => ["true", "false"],
            _ => [],
        };
    }
}
