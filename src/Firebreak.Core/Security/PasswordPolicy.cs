namespace Firebreak.Core.Security;

using System.Collections.Frozen;
using System.Text;

/// <summary>
/// What a new password must be (NIST SP 800-63B: length over composition, a blocklist of common and breached-style
/// passwords, nothing derived from the account). <see cref="Check"/> returns a sentence for a person, or null when fine.
/// </summary>
public static class PasswordPolicy
{
    public const int MinLength = 12;
    public const int MaxLength = 256;

    // Sequences people walk on a keyboard or count along; doubled so a run that wraps ("7890123") is still inside.
    private static readonly string[] Sequences =
    [
        "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz",
        "0123456789012345678901234567890123456789",
        "qwertyuiopasdfghjklzxcvbnm", "qwertzuiopasdfghjklyxcvbnm", "azertyuiopqsdfghjklmwxcvbn",
        "qwertyuiopqwertyuiop", "asdfghjklasdfghjkl", "zxcvbnmzxcvbnm", "qwertzuiopqwertzuiop", "azertyuiopazertyuiop",
        "1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik9ol0p", "qazwsxedcrfvtgbyhnujmikolp", "1q2w3e4r5t6y7u8i9o0p", "!@#$%^&*()!@#$%^&*()",
    ];

    private static readonly Lazy<FrozenSet<string>> Common = new(LoadCommon);

    /// <summary>A human-readable problem with <paramref name="password"/>, or null when it is acceptable.</summary>
    public static string? Check(string? password, string? email = null, string? displayName = null)
    {
        if (string.IsNullOrEmpty(password) || password.Length < MinLength)
        {
            return $"Use at least {MinLength} characters — a few unrelated words make a long password that is easy to remember.";
        }

        if (password.Length > MaxLength)
        {
            return $"Use at most {MaxLength} characters.";
        }

        var lower = password.ToLowerInvariant();
        if (lower.Distinct().Count() == 1 || IsRepeatedUnit(lower))
        {
            return "This password repeats the same few characters; use something less predictable.";
        }

        if (IsSequence(lower) || IsSequence(StripTrailing(lower)))
        {
            return "This password is a keyboard or number sequence; use something less predictable.";
        }

        if (lower.Contains("firebreak", StringComparison.Ordinal) || Fold(lower).Contains("firebreak", StringComparison.Ordinal))
        {
            return "Do not use the product's name in your password.";
        }

        var local = email?.Split('@')[0].Trim().ToLowerInvariant();
        if (local is { Length: >= 3 } && (lower.Contains(local, StringComparison.Ordinal) || Fold(lower).Contains(Fold(local), StringComparison.Ordinal)))
        {
            return "Do not use your e-mail address in your password.";
        }

        foreach (var part in (displayName ?? string.Empty).ToLowerInvariant().Split([' ', '-', '.', '_'], StringSplitOptions.RemoveEmptyEntries).Append(displayName?.ToLowerInvariant().Replace(" ", string.Empty, StringComparison.Ordinal) ?? string.Empty))
        {
            if (part.Length >= 3 && (lower.Contains(part, StringComparison.Ordinal) || Fold(lower).Contains(Fold(part), StringComparison.Ordinal)))
            {
                return "Do not use your name in your password.";
            }
        }

        if (IsCommon(lower))
        {
            return "This password is too common (it is on lists attackers try first); choose another.";
        }

        return null;
    }

    /// <summary>Whether the password, once folded the ways people disguise common passwords, is on the shipped list.</summary>
    private static bool IsCommon(string lower)
    {
        foreach (var candidate in Candidates(lower))
        {
            if (candidate.Length > 0 && Common.Value.Contains(candidate))
            {
                return true;
            }

            // "passwordpassword", "letmeinletmein": a common word doubled is no stronger than the word.
            if (candidate.Length % 2 == 0 && candidate.Length > 0 && candidate[..(candidate.Length / 2)] == candidate[(candidate.Length / 2)..] && Common.Value.Contains(candidate[..(candidate.Length / 2)]))
            {
                return true;
            }
        }

        return false;
    }

    private static IEnumerable<string> Candidates(string lower)
    {
        var spaced = lower.Replace(" ", string.Empty, StringComparison.Ordinal);
        // Separators carry no strength: "letmein!letmein" is "letmein" twice.
        var lettersOnly = new string([.. lower.Where(char.IsLetter)]);
        foreach (var text in new[] { spaced, StripLeading(spaced), lettersOnly })
        {
            yield return text;
            yield return StripTrailing(text);
            yield return StripTrailing(Fold(text));
            yield return StripTrailing(Fold(text, oneIsL: true));
            yield return Fold(StripTrailing(text));
            yield return Fold(StripTrailing(text), oneIsL: true);
        }
    }

    /// <summary>Undoes leetspeak: p@ssw0rd → password.</summary>
    public static string Fold(string text, bool oneIsL = false)
    {
        var folded = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            folded.Append(c switch
            {
                '@' or '4' => 'a',
                '8' => 'b',
                '(' => 'c',
                '3' => 'e',
                '6' or '9' => 'g',
                '1' or '!' or '|' => oneIsL ? 'l' : 'i',
                '0' => 'o',
                '$' or '5' => 's',
                '7' or '+' => 't',
                '2' => 'z',
                _ => c,
            });
        }

        return folded.ToString();
    }

    private static string StripTrailing(string text) => text.TrimEnd("0123456789!@#$%^&*()-_=+.,;:?~'\"[]{}<>/\\| ".ToCharArray());

    private static string StripLeading(string text) => text.TrimStart("0123456789!@#$%^&*()-_=+.,;:?~'\"[]{}<>/\\| ".ToCharArray());

    private static bool IsSequence(string text)
    {
        if (text.Length < 4)
        {
            return text.Length > 0;
        }

        foreach (var sequence in Sequences)
        {
            if (sequence.Contains(text, StringComparison.Ordinal) || new string([.. sequence.Reverse()]).Contains(text, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsRepeatedUnit(string text)
    {
        for (var unit = 1; unit <= 4; unit++)
        {
            if (text.Length % unit == 0 && text.Length / unit >= 3 && Enumerable.Range(0, text.Length).All(i => text[i] == text[i % unit]))
            {
                return true;
            }
        }

        return false;
    }

    private static FrozenSet<string> LoadCommon()
    {
        using var stream = typeof(PasswordPolicy).Assembly.GetManifestResourceStream("Firebreak.Core.Security.common-passwords.txt")
            ?? throw new InvalidOperationException("The common-password list is missing from the assembly.");
        using var reader = new StreamReader(stream);
        var words = new HashSet<string>(StringComparer.Ordinal);
        while (reader.ReadLine() is { } line)
        {
            var word = line.Trim();
            if (word.Length > 0 && word[0] != '#')
            {
                words.Add(word);
            }
        }

        return words.ToFrozenSet(StringComparer.Ordinal);
    }
}
