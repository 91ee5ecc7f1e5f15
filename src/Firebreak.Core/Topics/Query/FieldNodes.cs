using System.Text;
using Firebreak.Core.Mentions;

namespace Firebreak.Core.Topics.Query;

/// <summary>lang:fr — also matches regional variants ("fr-ca").</summary>
internal sealed class LanguageNode(string language) : QueryNode
{
    public string Language { get; } = language;

    public override int Cost => 0;

    public override bool Evaluate(MatchSubject subject)
    {
        var actual = subject.Language;
        return actual.StartsWith(Language, StringComparison.Ordinal)
            && (actual.Length == Language.Length || actual[Language.Length] == '-');
    }

    public override void Describe(StringBuilder output) => output.Append("lang:").Append(Language);
}

internal sealed class PlatformNode(Platform platform) : QueryNode
{
    public Platform Platform { get; } = platform;

    public override int Cost => 0;

    public override bool Evaluate(MatchSubject subject) => subject.Platform == Platform;

    public override void Describe(StringBuilder output) => output.Append("platform:").Append(Platform.ToWire());
}

/// <summary>author:handle, compared folded and without '@'.</summary>
internal sealed class AuthorNode(string handle) : QueryNode
{
    public string Handle { get; } = handle;

    public override int Cost => 0;

    public override bool Evaluate(MatchSubject subject) => string.Equals(subject.AuthorHandle, Handle, StringComparison.Ordinal);

    public override void Describe(StringBuilder output) => output.Append("author:").Append(Handle);
}

internal sealed class KindNode(MentionKind kind) : QueryNode
{
    public MentionKind Kind { get; } = kind;

    public override int Cost => 0;

    public override bool Evaluate(MatchSubject subject) => subject.Kind == Kind;

    public override void Describe(StringBuilder output) => output.Append("kind:").Append(Kind.ToWire());
}

/// <summary>followers within [Min, Max], both inclusive; the parser turns &gt; and &lt; into these bounds.</summary>
internal sealed class FollowersNode(long min, long max) : QueryNode
{
    public long Min { get; } = min;

    public long Max { get; } = max;

    public override int Cost => 0;

    public override bool Evaluate(MatchSubject subject) => subject.Followers >= Min && subject.Followers <= Max;

    public override void Describe(StringBuilder output)
    {
        output.Append("followers:");
        output.Append(Min == long.MinValue ? "*" : Min.ToString(System.Globalization.CultureInfo.InvariantCulture));
        output.Append("..");
        output.Append(Max == long.MaxValue ? "*" : Max.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }
}

internal sealed class VerifiedNode(bool verified) : QueryNode
{
    public bool Verified { get; } = verified;

    public override int Cost => 0;

    public override bool Evaluate(MatchSubject subject) => subject.Verified == Verified;

    public override void Describe(StringBuilder output) => output.Append("verified:").Append(Verified ? "true" : "false");
}
