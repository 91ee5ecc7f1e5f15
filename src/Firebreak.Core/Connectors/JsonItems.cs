namespace Firebreak.Core.Connectors;

using System.Text.Json;

/// <summary>The elements of a JSON array in a platform's page, and what could not be read.</summary>
/// <remarks>
/// Disposing is optional and only for hot paths: it hands the parsed document's pooled buffers back once the page
/// has been mapped (the elements must not be used after it). Not disposed, the GC takes them like any garbage.
/// </remarks>
public sealed record JsonItems(IReadOnlyList<JsonElement> Items, JsonElement? Root, IReadOnlyList<ItemError> Errors) : IDisposable
{
    /// <summary>The document the elements point into, when the page parsed whole.</summary>
    public JsonDocument? Document { get; init; }

    public void Dispose() => Document?.Dispose();
}

/// <summary>
/// Reads the array of items from a page. A well-formed page is parsed whole. A malformed or truncated one is salvaged:
/// every complete element before the break is kept, and the break is recorded with the item number and byte offset,
/// so one bad page costs only what is actually broken.
/// </summary>
public static class JsonPages
{
    /// <param name="arrayProperty">The top-level property holding the array ("posts", "statuses"); null when the page is the array.</param>
    public static JsonItems Read(string connector, byte[] body, string? arrayProperty)
    {
        try
        {
            // The document lives as long as its items (they point into it): the page's bytes are used where they are
            // instead of being copied by Clone() per page, and a caller that disposes the result returns its pooled index.
            var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            var array = arrayProperty is null ? root : root.ValueKind == JsonValueKind.Object && root.TryGetProperty(arrayProperty, out var a) ? a : default;
            if (array.ValueKind != JsonValueKind.Array)
            {
                return new JsonItems([], root, [new ItemError(connector, arrayProperty is null ? "page" : $"page.{arrayProperty}", "expected an array of items; got " + array.ValueKind)]) { Document = document };
            }

            return new JsonItems(array.EnumerateArray().ToArray(), root, []) { Document = document };
        }
        catch (JsonException)
        {
            return Salvage(connector, body, arrayProperty);
        }
    }

    /// <summary>A string property, or null when absent or not a string.</summary>
    public static string? Text(this JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    public static long? Number(this JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var n) ? n : null;

    public static JsonElement? Child(this JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind is JsonValueKind.Object ? value : null;

    public static DateTimeOffset? Time(this JsonElement element, string name) =>
        element.Text(name) is { } text && DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var at) ? at : null;

    private static JsonItems Salvage(string connector, byte[] body, string? arrayProperty)
    {
        var items = new List<JsonElement>();
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { AllowTrailingCommas = false });
        var index = 0;
        try
        {
            if (!SeekArray(ref reader, arrayProperty))
            {
                return new JsonItems([], null, [new ItemError(connector, "byte " + reader.BytesConsumed, "the page is not JSON with an array of items")]);
            }

            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                using var element = JsonDocument.ParseValue(ref reader);
                items.Add(element.RootElement.Clone());
                index++;
            }

            return new JsonItems(items, null, [new ItemError(connector, $"after item {index}, byte {reader.BytesConsumed}", "the page ends badly after its items")]);
        }
        catch (JsonException e)
        {
            return new JsonItems(items, null, [new ItemError(connector, $"item {index + 1}, byte {reader.BytesConsumed}", $"malformed or truncated JSON ({e.Message}); the {items.Count} complete items before it were kept")]);
        }
    }

    private static bool SeekArray(ref Utf8JsonReader reader, string? property)
    {
        if (!reader.Read())
        {
            return false;
        }

        if (property is null)
        {
            return reader.TokenType == JsonTokenType.StartArray;
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }

        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == 1 && reader.ValueTextEquals(property))
            {
                return reader.Read() && reader.TokenType == JsonTokenType.StartArray;
            }

            if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
            {
                reader.Skip();
            }
        }

        return false;
    }
}
