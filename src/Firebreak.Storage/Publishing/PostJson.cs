namespace Firebreak.Storage.Publishing;

using System.Text.Json;
using System.Text.Json.Serialization;
using Firebreak.Core.Publishing.Posts;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, UseStringEnumConverter = true)]
[JsonSerializable(typeof(List<PostMedia>))]
[JsonSerializable(typeof(List<PostApproval>))]
[JsonSerializable(typeof(List<ApprovalStep>))]
[JsonSerializable(typeof(List<string>))]
internal sealed partial class PostJsonContext : JsonSerializerContext;

/// <summary>A post's media, links and approvals, and a workflow's steps, are JSON text columns: read and written whole, never queried inside.</summary>
internal static class PostJson
{
    public static string Media(IEnumerable<PostMedia> media) => JsonSerializer.Serialize([.. media], PostJsonContext.Default.ListPostMedia);

    public static List<PostMedia> Media(string json) => JsonSerializer.Deserialize(json, PostJsonContext.Default.ListPostMedia) ?? [];

    public static string Links(IEnumerable<string> links) => JsonSerializer.Serialize([.. links], PostJsonContext.Default.ListString);

    public static List<string> Links(string json) => JsonSerializer.Deserialize(json, PostJsonContext.Default.ListString) ?? [];

    public static string Approvals(IEnumerable<PostApproval> approvals) => JsonSerializer.Serialize([.. approvals], PostJsonContext.Default.ListPostApproval);

    public static List<PostApproval> Approvals(string json) => JsonSerializer.Deserialize(json, PostJsonContext.Default.ListPostApproval) ?? [];

    public static string Steps(IEnumerable<ApprovalStep> steps) => JsonSerializer.Serialize([.. steps], PostJsonContext.Default.ListApprovalStep);

    public static List<ApprovalStep> Steps(string json) => JsonSerializer.Deserialize(json, PostJsonContext.Default.ListApprovalStep) ?? [];
}
