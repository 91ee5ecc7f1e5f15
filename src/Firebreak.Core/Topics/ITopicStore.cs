namespace Firebreak.Core.Topics;

/// <summary>Topic persistence; one implementation per store provider.</summary>
public interface ITopicStore
{
    Task<IReadOnlyList<Topic>> ListAsync(long workspaceId, CancellationToken cancellationToken);

    Task<Topic?> GetAsync(long workspaceId, long topicId, CancellationToken cancellationToken);

    /// <summary>Adds a topic; returns null when the workspace already has a topic of that name.</summary>
    Task<Topic?> AddAsync(long workspaceId, string name, string query, bool enabled, CancellationToken cancellationToken);

    Task<Topic?> UpdateAsync(long workspaceId, long topicId, string name, string query, bool enabled, CancellationToken cancellationToken);

    Task<bool> DeleteAsync(long workspaceId, long topicId, CancellationToken cancellationToken);
}
