using System.Globalization;
using System.Text.RegularExpressions;

namespace Firebreak.Core.Tests.Text;

/// <summary>Test-data helper: "&lt;D800&gt;" stands for a lone surrogate, which attribute metadata cannot hold.</summary>
internal static partial class Surrogates
{
    public static string Expand(string text) =>
        Placeholder().Replace(text, m => ((char)int.Parse(m.Groups[1].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture)).ToString());

    [GeneratedRegex("<(D[89A-F][0-9A-F]{2})>")]
    private static partial Regex Placeholder();
}
