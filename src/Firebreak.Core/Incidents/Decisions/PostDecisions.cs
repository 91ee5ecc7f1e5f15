namespace Firebreak.Core.Incidents.Decisions;

/// <summary>What to do with one of the brand's own posts that caused trouble.</summary>
public enum PostAction
{
    Keep = 1,
    Delete = 2,
}

/// <summary>The answers to the "Delete or keep?" questions.</summary>
/// <param name="ObsceneOrGraphic">The post is obscene, graphic or otherwise harmful to leave up (slurs, gore, private data).</param>
/// <param name="PostedByIntruder">Someone who should not have had access posted it (a hacked account, a rogue insider).</param>
public sealed record PostQuestions(bool ObsceneOrGraphic, bool PostedByIntruder);

public sealed record PostRecommendation(PostAction Action, string Reason);

/// <summary>
/// The "Delete or keep?" guide. A brand's own post is kept unless it is obscene or graphic, or an intruder posted it:
/// deleting never makes a post go away (screenshots and archives outlive it) and a silent deletion reads as a cover-up,
/// so otherwise the post stays up and the brand acknowledges and answers. Either way a deletion is preceded by an
/// archive snapshot (<see cref="PostSnapshot"/>).
/// </summary>
public static class PostGuide
{
    public const string IntruderReason = "It was posted by an intruder: it is not the brand's voice. Archive it, delete it, and say publicly that the account was compromised and what you are doing about it.";
    public const string ObsceneReason = "It is obscene or graphic: leaving it up keeps harming people who see it. Archive it, delete it, and say publicly that you removed it and why.";
    public const string KeepReason = "Keep it up, acknowledge and answer: deleting never makes it go away (screenshots outlive it) and a deletion reads as a cover-up. Reply, explain, and correct in the open.";

    public static PostRecommendation Recommend(PostQuestions answers)
    {
        ArgumentNullException.ThrowIfNull(answers);
        if (answers.PostedByIntruder)
        {
            return new PostRecommendation(PostAction.Delete, IntruderReason);
        }

        return answers.ObsceneOrGraphic
            ? new PostRecommendation(PostAction.Delete, ObsceneReason)
            : new PostRecommendation(PostAction.Keep, KeepReason);
    }
}

/// <summary>An archive copy of a post, taken before it is deleted: the evidence survives the deletion.</summary>
public sealed record PostSnapshot(string Text, string? Url, string? Author, DateTimeOffset? PostedAt, IncidentActor CapturedBy, DateTimeOffset CapturedAt);

/// <summary>Who should apologise.</summary>
public enum Apologiser
{
    /// <summary>The person (or team) who erred.</summary>
    Person = 1,

    /// <summary>Someone higher up: a director, the chief executive.</summary>
    HigherUp = 2,
}

/// <param name="SeriousHarm">People were seriously hurt, endangered or lost money.</param>
/// <param name="Repeated">It happened before, or it is a pattern.</param>
/// <param name="LacksStanding">The person who erred lacks the standing to be believed (junior, anonymous, an agency).</param>
public sealed record ApologyQuestions(bool SeriousHarm, bool Repeated, bool LacksStanding);

public sealed record ApologyRecommendation(Apologiser Who, string Reason);

/// <summary>"Who apologises?": the person who erred, or someone higher up when harm is serious, repeated, or the person lacks standing.</summary>
public static class ApologyGuide
{
    public static ApologyRecommendation Recommend(ApologyQuestions answers)
    {
        ArgumentNullException.ThrowIfNull(answers);
        var why = new List<string>();
        if (answers.SeriousHarm)
        {
            why.Add("the harm is serious");
        }

        if (answers.Repeated)
        {
            why.Add("it has happened before");
        }

        if (answers.LacksStanding)
        {
            why.Add("the person who erred lacks the standing to be believed");
        }

        return why.Count > 0
            ? new ApologyRecommendation(Apologiser.HigherUp, $"Someone higher up apologises: {string.Join(", ", why)}. The apology must come from someone who can promise change.")
            : new ApologyRecommendation(Apologiser.Person, "The person (or team) who erred apologises: the harm is limited, it is a first, and they can speak credibly for what they did.");
    }
}
