namespace Firebreak.Messaging;

using System.Buffers;
using System.Text.Json;
using Firebreak.Core.Mentions;

/// <summary>
/// The wire format of one ingest message between nodes: a workspace and the normalised mentions of one
/// partition, as compact JSON written and read by hand (no reflection, one pass). Only Firebreak nodes
/// write it; a message that does not decode is poison and goes to the dead-letter queue with the reason.
/// </summary>
public static class IngestMessageCodec
{
    /// <summary>Format version, checked on decode so a mixed-version cluster fails loudly, not silently.</summary>
    public const int Version = 1;

    /// <summary>Writes <paramref name="mentions"/> of workspace <paramref name="workspaceId"/> to <paramref name="output"/>.</summary>
    public static void Encode(long workspaceId, IReadOnlyList<Mention> mentions, IBufferWriter<byte> output)
    {
        using var json = new Utf8JsonWriter(output, new JsonWriterOptions { SkipValidation = true });
        json.WriteStartObject();
        json.WriteNumber("v", Version);
        json.WriteNumber("workspace", workspaceId);
        json.WriteStartArray("mentions");
        foreach (var m in mentions)
        {
            json.WriteStartObject();
            json.WriteString("platform", m.Platform.ToWire());
            json.WriteString("externalId", m.ExternalId);
            json.WriteString("kind", m.Kind.ToWire());
            json.WriteString("handle", m.Author.Handle);
            WriteOptional(json, "displayName", m.Author.DisplayName);
            json.WriteNumber("followers", m.Author.Followers);
            json.WriteBoolean("verified", m.Author.Verified);
            json.WriteString("text", m.Text);
            json.WriteString("language", m.Language);
            WriteOptional(json, "url", m.Url);
            json.WriteNumber("createdAt", m.CreatedAt.ToUnixTimeMilliseconds());
            json.WriteNumber("capturedAt", m.CapturedAt.ToUnixTimeMilliseconds());
            json.WriteNumber("likes", m.Engagement.Likes);
            json.WriteNumber("shares", m.Engagement.Shares);
            json.WriteNumber("replies", m.Engagement.Replies);
            json.WriteNumber("views", m.Engagement.Views);
            WriteOptional(json, "parent", m.ParentExternalId);
            WriteOptional(json, "thread", m.ThreadExternalId);
            WriteOptional(json, "raw", m.RawPayload);
            if (m.SourceId is { } source)
            {
                json.WriteNumber("source", source);
            }

            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    /// <summary>Reads a message; throws <see cref="IngestMessageException"/> saying what is wrong and where.</summary>
    public static (long WorkspaceId, List<Mention> Mentions) Decode(ReadOnlySpan<byte> body)
    {
        try
        {
            var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = 8 });
            Expect(ref reader, JsonTokenType.StartObject, "message");
            long? workspace = null;
            List<Mention>? mentions = null;
            while (Next(ref reader) == JsonTokenType.PropertyName)
            {
                var property = reader.GetString();
                Next(ref reader);
                switch (property)
                {
                    case "v":
                        if (reader.GetInt32() != Version)
                        {
                            throw new IngestMessageException($"unsupported message version {reader.GetInt32()} (this node reads {Version})");
                        }

                        break;
                    case "workspace":
                        workspace = reader.GetInt64();
                        break;
                    case "mentions":
                        mentions = ReadMentions(ref reader, workspace ?? throw new IngestMessageException("'workspace' must come before 'mentions'"));
                        break;
                    default:
                        reader.Skip();
                        break;
                }
            }

            return (workspace ?? throw new IngestMessageException("missing 'workspace'"), mentions ?? throw new IngestMessageException("missing 'mentions'"));
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException)
        {
            throw new IngestMessageException($"malformed message: {ex.Message}", ex);
        }
    }

    private static List<Mention> ReadMentions(ref Utf8JsonReader reader, long workspaceId)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new IngestMessageException("'mentions' must be an array");
        }

        var list = new List<Mention>();
        while (Next(ref reader) == JsonTokenType.StartObject)
        {
            var index = list.Count;
            string? platform = null, externalId = null, kind = null, handle = null, displayName = null, text = null;
            string? language = null, url = null, parent = null, thread = null, raw = null;
            long followers = 0, createdAt = 0, capturedAt = 0, likes = 0, shares = 0, replies = 0, views = 0;
            long? source = null;
            var verified = false;
            while (Next(ref reader) == JsonTokenType.PropertyName)
            {
                var property = reader.GetString();
                Next(ref reader);
                switch (property)
                {
                    case "platform": platform = reader.GetString(); break;
                    case "externalId": externalId = reader.GetString(); break;
                    case "kind": kind = reader.GetString(); break;
                    case "handle": handle = reader.GetString(); break;
                    case "displayName": displayName = reader.GetString(); break;
                    case "followers": followers = reader.GetInt64(); break;
                    case "verified": verified = reader.GetBoolean(); break;
                    case "text": text = reader.GetString(); break;
                    case "language": language = reader.GetString(); break;
                    case "url": url = reader.GetString(); break;
                    case "createdAt": createdAt = reader.GetInt64(); break;
                    case "capturedAt": capturedAt = reader.GetInt64(); break;
                    case "likes": likes = reader.GetInt64(); break;
                    case "shares": shares = reader.GetInt64(); break;
                    case "replies": replies = reader.GetInt64(); break;
                    case "views": views = reader.GetInt64(); break;
                    case "parent": parent = reader.GetString(); break;
                    case "thread": thread = reader.GetString(); break;
                    case "raw": raw = reader.GetString(); break;
                    case "source": source = reader.GetInt64(); break;
                    default: reader.Skip(); break;
                }
            }

            if (!EnumNames.TryParsePlatform(platform, out var parsedPlatform))
            {
                throw new IngestMessageException($"mentions[{index}].platform: unknown platform '{platform}'");
            }

            if (!EnumNames.TryParseKind(kind, out var parsedKind))
            {
                throw new IngestMessageException($"mentions[{index}].kind: unknown kind '{kind}'");
            }

            list.Add(new Mention
            {
                WorkspaceId = workspaceId,
                SourceId = source,
                Platform = parsedPlatform,
                ExternalId = externalId ?? throw new IngestMessageException($"mentions[{index}].externalId is missing"),
                Kind = parsedKind,
                Author = new MentionAuthor(handle ?? throw new IngestMessageException($"mentions[{index}].handle is missing"), displayName, followers, verified),
                Text = text ?? throw new IngestMessageException($"mentions[{index}].text is missing"),
                Language = language ?? "und",
                Url = url,
                CreatedAt = DateTimeOffset.FromUnixTimeMilliseconds(createdAt),
                CapturedAt = DateTimeOffset.FromUnixTimeMilliseconds(capturedAt),
                Engagement = new Engagement(likes, shares, replies, views),
                ParentExternalId = parent,
                ThreadExternalId = thread,
                RawPayload = raw,
            });
        }

        return list;
    }

    private static void WriteOptional(Utf8JsonWriter json, string name, string? value)
    {
        if (value is not null)
        {
            json.WriteString(name, value);
        }
    }

    private static JsonTokenType Next(ref Utf8JsonReader reader) =>
        reader.Read() ? reader.TokenType : throw new IngestMessageException("message ends early (truncated)");

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType type, string what)
    {
        if (Next(ref reader) != type)
        {
            throw new IngestMessageException($"{what}: expected {type}, found {reader.TokenType}");
        }
    }
}

/// <summary>A message that cannot be decoded: it will never succeed, so it is dead-lettered with this reason.</summary>
public sealed class IngestMessageException : Exception
{
    /// <summary>Creates the exception.</summary>
    public IngestMessageException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with its cause.</summary>
    public IngestMessageException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
