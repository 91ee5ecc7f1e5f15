namespace Firebreak.Web.Components.Topics;

/// <summary>What the topic editor posts.</summary>
public sealed class TopicForm
{
    public string? Name { get; set; }

    public string? Query { get; set; }

    public bool Enabled { get; set; } = true;
}
