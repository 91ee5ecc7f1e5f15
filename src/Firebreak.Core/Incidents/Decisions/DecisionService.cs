namespace Firebreak.Core.Incidents.Decisions;

using System.Text.Json.Nodes;

/// <summary>A post to decide about, as the person saw it.</summary>
public sealed record PostToDecide(string Text, string? Url, string? Author, DateTimeOffset? PostedAt);

/// <summary>
/// Records the guided decisions on the incident's timeline as <see cref="TimelineKind.Decision"/> entries. A deletion is
/// recorded only with its archive snapshot in the same entry (appended atomically), so there is never a recorded
/// deletion without the copy of what was deleted.
/// </summary>
public sealed class DecisionService(IIncidentStore store, TimeProvider clock)
{
    /// <summary>Null when the incident is not in the workspace. <paramref name="action"/> null: follow the recommendation.</summary>
    public async Task<TimelineEntry?> RecordPostAsync(long workspaceId, long incidentId, PostToDecide post, PostQuestions answers, PostAction? action, string? note, IncidentActor actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(post);
        ArgumentNullException.ThrowIfNull(actor);
        if (await store.GetAsync(workspaceId, incidentId, cancellationToken).ConfigureAwait(false) is null)
        {
            return null;
        }

        var now = clock.GetUtcNow();
        var recommended = PostGuide.Recommend(answers);
        var chosen = action ?? recommended.Action;
        var reason = chosen == recommended.Action ? recommended.Reason : $"Against the guide's advice ({recommended.Reason})";
        if (!string.IsNullOrWhiteSpace(note))
        {
            reason = $"{reason} {note.Trim()}";
        }

        var data = new JsonObject
        {
            ["decision"] = chosen == PostAction.Delete ? "deletePost" : "keepPost",
            ["recommended"] = recommended.Action == PostAction.Delete ? "delete" : "keep",
            ["reason"] = reason,
            ["obsceneOrGraphic"] = answers.ObsceneOrGraphic,
            ["postedByIntruder"] = answers.PostedByIntruder,
            ["url"] = post.Url,
        };
        if (chosen == PostAction.Delete)
        {
            var snapshot = new PostSnapshot(post.Text, post.Url, post.Author, post.PostedAt, actor, now);
            data["archive"] = new JsonObject
            {
                ["text"] = snapshot.Text,
                ["url"] = snapshot.Url,
                ["author"] = snapshot.Author,
                ["postedAt"] = snapshot.PostedAt,
                ["capturedBy"] = new JsonObject { ["accountId"] = snapshot.CapturedBy.AccountId, ["name"] = snapshot.CapturedBy.Name },
                ["capturedAt"] = snapshot.CapturedAt,
            };
        }

        var what = post.Url ?? Short(post.Text);
        var text = chosen == PostAction.Delete
            ? $"Decision: delete the post {what} (archived first). {reason}"
            : $"Decision: keep the post {what}, acknowledge and answer. {reason}";
        return await store.AppendAsync(incidentId, new TimelineDraft(now, actor, TimelineKind.Decision, text, data.ToJsonString()), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Records who apologises and the statement; a public response for the review. Null when the incident is not in the workspace.</summary>
    public async Task<TimelineEntry?> RecordApologyAsync(long workspaceId, long incidentId, ApologyQuestions answers, Apologiser? who, string statement, string language, string? playbookKey, IncidentActor actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(statement);
        if (await store.GetAsync(workspaceId, incidentId, cancellationToken).ConfigureAwait(false) is null)
        {
            return null;
        }

        var recommended = ApologyGuide.Recommend(answers);
        var chosen = who ?? recommended.Who;
        var reason = chosen == recommended.Who ? recommended.Reason : $"Against the guide's advice ({recommended.Reason})";
        var data = new JsonObject
        {
            ["decision"] = "apology",
            ["who"] = chosen == Apologiser.HigherUp ? "higherUp" : "person",
            ["recommended"] = recommended.Who == Apologiser.HigherUp ? "higherUp" : "person",
            ["reason"] = reason,
            ["statement"] = statement,
            ["language"] = language,
            ["playbook"] = playbookKey,
            ["publicResponse"] = true,
        };
        var text = $"Decision: apology by {(chosen == Apologiser.HigherUp ? "someone higher up" : "the person who erred")} ({language}): {Short(statement)}";
        return await store.AppendAsync(incidentId, new TimelineDraft(clock.GetUtcNow(), actor, TimelineKind.Decision, text, data.ToJsonString()), cancellationToken).ConfigureAwait(false);
    }

    private static string Short(string text)
    {
        var oneLine = text.ReplaceLineEndings(" ").Trim();
        return oneLine.Length <= 200 ? $"“{oneLine}”" : $"“{oneLine[..200]}…”";
    }
}
