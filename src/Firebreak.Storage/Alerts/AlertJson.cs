namespace Firebreak.Storage.Alerts;

using System.Text.Json;
using System.Text.Json.Serialization;
using Firebreak.Core.Alerts;
using Firebreak.Core.Detection;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, UseStringEnumConverter = true)]
[JsonSerializable(typeof(AlertNotification))]
[JsonSerializable(typeof(ChannelSettings))]
[JsonSerializable(typeof(List<long>))]
[JsonSerializable(typeof(List<string>))]
[JsonSerializable(typeof(List<DetectionSignal>))]
[JsonSerializable(typeof(Dictionary<string, DetectionSeverity>))]
internal sealed partial class AlertJsonContext : JsonSerializerContext;

/// <summary>
/// Lists, maps and the frozen notification are JSON text columns: read and written whole, never queried inside,
/// and free to gain fields without a migration. Enums by name, so a reordered enum cannot change stored meaning.
/// </summary>
internal static class AlertJson
{
    public static string Ids(IEnumerable<long> ids) => JsonSerializer.Serialize([.. ids], AlertJsonContext.Default.ListInt64);

    public static List<long> Ids(string json) => JsonSerializer.Deserialize(json, AlertJsonContext.Default.ListInt64) ?? [];

    public static string Texts(IEnumerable<string> texts) => JsonSerializer.Serialize([.. texts], AlertJsonContext.Default.ListString);

    public static List<string> Texts(string json) => JsonSerializer.Deserialize(json, AlertJsonContext.Default.ListString) ?? [];

    public static string Signals(IEnumerable<DetectionSignal> signals) => JsonSerializer.Serialize([.. signals], AlertJsonContext.Default.ListDetectionSignal);

    public static List<DetectionSignal> Signals(string json) => JsonSerializer.Deserialize(json, AlertJsonContext.Default.ListDetectionSignal) ?? [];

    public static string Notified(IReadOnlyDictionary<string, DetectionSeverity> notified) =>
        JsonSerializer.Serialize(new Dictionary<string, DetectionSeverity>(notified, StringComparer.Ordinal), AlertJsonContext.Default.DictionaryStringDetectionSeverity);

    public static Dictionary<string, DetectionSeverity> Notified(string json) =>
        JsonSerializer.Deserialize(json, AlertJsonContext.Default.DictionaryStringDetectionSeverity) ?? [];

    public static string Settings(ChannelSettings settings) => JsonSerializer.Serialize(settings, AlertJsonContext.Default.ChannelSettings);

    public static ChannelSettings Settings(string json) => JsonSerializer.Deserialize(json, AlertJsonContext.Default.ChannelSettings) ?? new ChannelSettings();

    public static string Notification(AlertNotification notification) => JsonSerializer.Serialize(notification, AlertJsonContext.Default.AlertNotification);

    public static AlertNotification Notification(string json) =>
        JsonSerializer.Deserialize(json, AlertJsonContext.Default.AlertNotification) ?? throw new JsonException("empty notification");
}

/// <summary>Column conversions shared by the alert stores.</summary>
internal static class Sql
{
    public static long Ms(DateTimeOffset time) => time.ToUnixTimeMilliseconds();

    public static long? Ms(DateTimeOffset? time) => time?.ToUnixTimeMilliseconds();

    public static DateTimeOffset Time(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);

    /// <summary>Truncated to the millisecond, as the store will give it back.</summary>
    public static DateTimeOffset Stored(DateTimeOffset time) => Time(Ms(time));

    public static DateTimeOffset? NullableTime(System.Data.Common.DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : Time(reader.GetInt64(ordinal));

    public static string? NullableText(System.Data.Common.DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    public static long? NullableLong(System.Data.Common.DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetInt64(ordinal);

    public static int? NullableInt(System.Data.Common.DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetInt32(ordinal);

    public static async Task<List<T>> ListAsync<T>(System.Data.Common.DbCommand command, Func<System.Data.Common.DbDataReader, T> map, CancellationToken cancellationToken)
    {
        var list = new List<T>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            list.Add(map(reader));
        }

        return list;
    }

    public static async Task<T?> SingleAsync<T>(System.Data.Common.DbCommand command, Func<System.Data.Common.DbDataReader, T> map, CancellationToken cancellationToken)
        where T : class
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? map(reader) : null;
    }
}
