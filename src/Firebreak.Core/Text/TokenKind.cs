namespace Firebreak.Core.Text;

/// <summary>What a token was in the source text. The token text never includes the '#' or '@'.</summary>
[Flags]
public enum TokenKind : byte
{
    None = 0,
    Word = 1,
    Hashtag = 2,
    Handle = 4,
    Any = Word | Hashtag | Handle,
}
