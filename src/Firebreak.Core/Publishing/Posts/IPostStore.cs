namespace Firebreak.Core.Publishing.Posts;

/// <summary>Posts, their history, and each workspace's approval workflow and sensitive terms; written once for both providers.</summary>
public interface IPostStore
{
    /// <summary>Stores a new post (Id and Version ignored) with its first history entry, in one transaction.</summary>
    Task<Post> CreateAsync(Post post, PostEventDraft created, CancellationToken cancellationToken);

    /// <summary>Null when there is none, or it was deleted.</summary>
    Task<Post?> GetAsync(long workspaceId, long id, CancellationToken cancellationToken);

    /// <summary>Posts scheduled in [from, to), by time; then, when <paramref name="unscheduled"/>, those with no time yet (newest first).</summary>
    Task<IReadOnlyList<Post>> ListAsync(long workspaceId, DateTimeOffset from, DateTimeOffset to, bool unscheduled, int limit, CancellationToken cancellationToken);

    /// <summary>Saves the post if the stored version is still <paramref name="expectedVersion"/> (bumping it), with the entries; null when stale.</summary>
    Task<Post?> UpdateAsync(Post post, int expectedVersion, IReadOnlyList<PostEventDraft> entries, CancellationToken cancellationToken);

    /// <summary>Hides the post from every list (its history is kept) if still at <paramref name="expectedVersion"/>.</summary>
    Task<bool> DeleteAsync(long workspaceId, long id, int expectedVersion, PostEventDraft entry, CancellationToken cancellationToken);

    Task<PostEvent> AppendAsync(long workspaceId, long postId, int revision, PostEventDraft entry, CancellationToken cancellationToken);

    /// <summary>Oldest first.</summary>
    Task<IReadOnlyList<PostEvent>> HistoryAsync(long workspaceId, long postId, CancellationToken cancellationToken);

    /// <summary>The configured workflow, or null (the default applies).</summary>
    Task<ApprovalWorkflow?> GetWorkflowAsync(long workspaceId, CancellationToken cancellationToken);

    Task SetWorkflowAsync(long workspaceId, ApprovalWorkflow workflow, CancellationToken cancellationToken);

    Task<IReadOnlyList<SensitiveTerm>> GetTermsAsync(long workspaceId, CancellationToken cancellationToken);

    /// <summary>Replaces the workspace's whole list.</summary>
    Task SetTermsAsync(long workspaceId, IReadOnlyList<SensitiveTerm> terms, CancellationToken cancellationToken);
}
