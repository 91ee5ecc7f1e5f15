namespace Firebreak.Messaging;

using System.Buffers;
using System.Buffers.Binary;
using System.Text.Json;
using Firebreak.Core.Ingestion;
using Firebreak.Core.Mentions;

/// <summary>
/// What a worker tells the live detectors about a batch it stored: the mentions (in the ingest message format,
/// so the fields are written and read by one codec) plus what only the worker knows after storing them: each
/// one's id, sentiment, matched topics and whether it was new or an update.
/// Layout: a 4-byte big-endian length, the ingest message, then <c>{"items":[{"id","sentiment","outcome","topics"}]}</c>
/// in the same order.
/// </summary>
public static class DetectionFeedCodec
{
    /// <summary>Encodes the batch's stored (inserted or updated) mentions; null when there are none.</summary>
    public static byte[]? Encode(long workspaceId, IReadOnlyList<IngestItem> items)
    {
        var stored = new List<IngestItem>(items.Count);
        foreach (var item in items)
        {
            if (item.Outcome is IngestOutcome.Inserted or IngestOutcome.Updated && item.Mention is not null)
            {
                stored.Add(item);
            }
        }

        if (stored.Count == 0)
        {
            return null;
        }

        var body = new ArrayBufferWriter<byte>(512 * stored.Count);
        var length = body.GetSpan(4);
        body.Advance(4);
        IngestMessageCodec.Encode(workspaceId, [.. stored.Select(i => i.Mention!)], body);
        var mentionsLength = body.WrittenCount - 4;
        using (var json = new Utf8JsonWriter(body))
        {
            json.WriteStartObject();
            json.WriteStartArray("items");
            foreach (var item in stored)
            {
                json.WriteStartObject();
                json.WriteNumber("id", item.Mention!.Id);
                json.WriteString("sentiment", item.Mention.Analysis.Sentiment.ToWire());
                json.WriteString("outcome", item.Outcome == IngestOutcome.Inserted ? "inserted" : "updated");
                json.WriteStartArray("topics");
                foreach (var topic in item.TopicIds)
                {
                    json.WriteNumberValue(topic);
                }

                json.WriteEndArray();
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        var bytes = body.WrittenSpan.ToArray();
        BinaryPrimitives.WriteInt32BigEndian(bytes, mentionsLength);
        return bytes;
    }

    /// <summary>Decodes a feed message; <see cref="IngestMessageException"/> when it is not one.</summary>
    public static (long WorkspaceId, List<LiveMention> Mentions) Decode(ReadOnlySpan<byte> body)
    {
        if (body.Length < 4 || BinaryPrimitives.ReadInt32BigEndian(body) is var length && (length < 0 || length > body.Length - 4))
        {
            throw new IngestMessageException("malformed detection feed message: bad length prefix");
        }

        var (workspace, mentions) = IngestMessageCodec.Decode(body.Slice(4, length));
        try
        {
            using var meta = JsonDocument.Parse(body[(4 + length)..].ToArray());
            var items = meta.RootElement.GetProperty("items");
            if (items.GetArrayLength() != mentions.Count)
            {
                throw new IngestMessageException("malformed detection feed message: items and mentions differ in number");
            }

            var live = new List<LiveMention>(mentions.Count);
            var i = 0;
            foreach (var item in items.EnumerateArray())
            {
                var mention = mentions[i++];
                mention.Id = item.GetProperty("id").GetInt64();
                mention.Analysis = new MentionAnalysis
                {
                    Sentiment = EnumNames.TryParseSentiment(item.GetProperty("sentiment").GetString(), out var sentiment) ? sentiment : Sentiment.Unknown,
                };
                var outcome = item.GetProperty("outcome").GetString() == "inserted" ? IngestOutcome.Inserted : IngestOutcome.Updated;
                live.Add(new LiveMention(mention, [.. item.GetProperty("topics").EnumerateArray().Select(t => t.GetInt64())], outcome));
            }

            return (workspace, live);
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new IngestMessageException("malformed detection feed message: " + ex.Message);
        }
    }
}
