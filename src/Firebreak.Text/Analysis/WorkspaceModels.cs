namespace Firebreak.Text.Analysis;

using System.Collections.Concurrent;
using Firebreak.Text.Classification;

/// <summary>Where workspace-specific models live: {Directory}/{workspace id}/{task}.bin (written by `firebreak train --workspace`).</summary>
public sealed class WorkspaceModelOptions
{
    /// <summary>Root folder; null disables workspace models. The server uses {data}/models.</summary>
    public string? Directory { get; set; }

    public static string PathFor(string root, long workspaceId, string task) =>
        Path.Combine(root, workspaceId.ToString(System.Globalization.CultureInfo.InvariantCulture), task + ".bin");
}

/// <summary>
/// The models a workspace's mentions are analysed with: the shipped ones, except where the workspace
/// trained its own from its corrections. Files are checked once per batch (one directory stat) and reloaded
/// only when they change, so retraining takes effect without a restart.
/// </summary>
public sealed class WorkspaceModels(WorkspaceModelOptions options, TextModels defaults)
{
    private readonly ConcurrentDictionary<long, (DateTime Stamp, TextModels Models)> cache = new();

    public TextModels Defaults => defaults;

    public TextModels For(long workspaceId)
    {
        if (options.Directory is null)
        {
            return defaults;
        }

        var folder = Path.GetDirectoryName(WorkspaceModelOptions.PathFor(options.Directory, workspaceId, "x"))!;
        if (!Directory.Exists(folder))
        {
            return defaults;
        }

        var stamp = Directory.GetLastWriteTimeUtc(folder);
        foreach (var file in Directory.EnumerateFiles(folder, "*.bin"))
        {
            var written = File.GetLastWriteTimeUtc(file);
            stamp = written > stamp ? written : stamp;
        }

        if (cache.TryGetValue(workspaceId, out var hit) && hit.Stamp == stamp)
        {
            return hit.Models;
        }

        var models = new TextModels(
            defaults.Languages,
            Load(folder, "sentiment") ?? defaults.Sentiment,
            Load(folder, "offensive") ?? defaults.Offensive,
            Load(folder, "hate") ?? defaults.Hate,
            Load(folder, "emotion") ?? defaults.Emotion,
            version: defaults.Version + "+ws" + workspaceId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        cache[workspaceId] = (stamp, models);
        return models;
    }

    private static LinearClassifier? Load(string folder, string task)
    {
        var path = Path.Combine(folder, task + ".bin");
        if (!File.Exists(path))
        {
            return null;
        }

        using var stream = File.OpenRead(path);
        return LinearClassifier.Load(stream);
    }
}
