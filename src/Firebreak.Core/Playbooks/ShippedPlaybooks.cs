namespace Firebreak.Core.Playbooks;

/// <summary>
/// The playbooks Firebreak ships (Playbooks/Library/*.yaml, embedded). Every workspace starts with these; a workspace's
/// own saved version of one takes its place. Read once: they cannot change while the process runs.
/// </summary>
public static class ShippedPlaybooks
{
    private const string Prefix = "Firebreak.Core.Playbooks.Library.";

    private static readonly Lazy<IReadOnlyList<ShippedPlaybook>> All = new(Load);

    /// <summary>Every shipped playbook, by key.</summary>
    public static IReadOnlyList<ShippedPlaybook> List => All.Value;

    public static ShippedPlaybook? Find(string key) => All.Value.FirstOrDefault(p => string.Equals(p.Playbook.Key, key, StringComparison.Ordinal));

    private static IReadOnlyList<ShippedPlaybook> Load()
    {
        var assembly = typeof(ShippedPlaybooks).Assembly;
        var list = new List<ShippedPlaybook>();
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(Prefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var reader = new StreamReader(stream);
            var yaml = reader.ReadToEnd();
            var parsed = PlaybookYaml.Parse(yaml);

            // A shipped file that does not validate is a build defect (a test checks them all); failing loudly beats
            // silently offering a workspace fewer playbooks than the docs promise.
            var playbook = parsed.Playbook ?? throw new InvalidOperationException($"Shipped playbook {name} is invalid: {string.Join("; ", parsed.Errors)}");
            list.Add(new ShippedPlaybook(playbook, yaml));
        }

        return list.OrderBy(p => p.Playbook.Key, StringComparer.Ordinal).ToList();
    }
}

/// <summary>A shipped playbook and its file as written (comments included).</summary>
public sealed record ShippedPlaybook(Playbook Playbook, string Yaml);
