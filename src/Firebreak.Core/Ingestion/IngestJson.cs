namespace Firebreak.Core.Ingestion;

using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Unicode;

/// <summary>Source-generated JSON contract for the ingest wire format: no reflection on the hot path.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    PropertyNameCaseInsensitive = true,
    ReadCommentHandling = JsonCommentHandling.Skip,
    AllowTrailingCommas = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(MentionInput))]
[JsonSerializable(typeof(List<MentionInput>))]
public sealed partial class IngestJsonContext : JsonSerializerContext;

/// <summary>Parses one JSON object into a <see cref="MentionInput"/> and explains failures with a position.</summary>
public static class IngestJson
{
    public static bool TryParse(ReadOnlySpan<byte> utf8, out MentionInput? input, out string field, out string reason)
    {
        input = null;
        field = "$";
        reason = string.Empty;
        if (utf8.Length > IngestLimits.MaxItemBytes)
        {
            reason = $"item is {utf8.Length:N0} bytes; the limit is {IngestLimits.MaxItemBytes:N0}";
            return false;
        }

        if (!Utf8.IsValid(utf8))
        {
            reason = $"invalid UTF-8 at byte {FirstInvalidUtf8(utf8)} of the item";
            return false;
        }

        try
        {
            input = JsonSerializer.Deserialize(utf8, IngestJsonContext.Default.MentionInput);
        }
        catch (JsonException ex)
        {
            field = string.IsNullOrEmpty(ex.Path) ? "$" : ex.Path;
            reason = DescribeJsonError(ex);
            return false;
        }

        if (input is null)
        {
            reason = "expected a JSON object, found null";
            return false;
        }

        return true;
    }

    public static string DescribeJsonError(JsonException ex)
    {
        // The framework's message carries the useful part before " Path:"; positions are added back 1-based.
        var message = ex.Message;
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        if (cut > 0)
        {
            message = message[..cut];
        }

        return ex.BytePositionInLine is { } col
            ? $"{message} (line {ex.LineNumber + 1}, byte {col + 1})"
            : message;
    }

    public static int FirstInvalidUtf8(ReadOnlySpan<byte> utf8)
    {
        Span<char> scratch = stackalloc char[256];
        var offset = 0;
        while (offset < utf8.Length)
        {
            var status = Utf8.ToUtf16(utf8[offset..], scratch, out var read, out _, replaceInvalidSequences: false, isFinalBlock: true);
            offset += read;
            if (status == System.Buffers.OperationStatus.InvalidData)
            {
                return offset;
            }

            if (status == System.Buffers.OperationStatus.Done)
            {
                break;
            }
        }

        return offset;
    }
}
