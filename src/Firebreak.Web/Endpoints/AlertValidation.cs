namespace Firebreak.Web.Endpoints;

using System.Globalization;
using Firebreak.Core.Detection;
using Microsoft.AspNetCore.Http.HttpResults;

/// <summary>Parsing and checks shared by the alert endpoints; messages say what to send instead.</summary>
internal static class AlertValidation
{
    public const int MaxName = 200;

    public static string SignalNames { get; } = string.Join(", ", Enum.GetValues<DetectionSignal>().Select(Camel));

    /// <summary>An enum by its name, any case ("negativeVolume", "NegativeVolume"); numbers are not names.</summary>
    public static bool TryEnum<T>(string? text, out T value)
        where T : struct, Enum
    {
        value = default;
        return !string.IsNullOrWhiteSpace(text) && !char.IsDigit(text.Trim()[0]) && text.Trim()[0] != '-'
            && Enum.TryParse(text.Trim(), ignoreCase: true, out value) && Enum.IsDefined(value);
    }

    /// <summary>The actor of an action (free text until accounts arrive); "api" when left out.</summary>
    public static ValidationProblem? Actor(string? by, out string actor)
    {
        actor = string.IsNullOrWhiteSpace(by) ? "api" : Core.Alerts.Channels.AlertText.OneLine(by).Trim();
        return actor.Length > MaxName ? Problems.Validation("by", $"is at most {MaxName} characters") : null;
    }

    /// <summary>Optional free text (a reason, a note): trimmed, null when blank, at most <paramref name="max"/> characters.</summary>
    public static ValidationProblem? Note(string? value, string field, int max, out string? text)
    {
        text = string.IsNullOrWhiteSpace(value) ? null : value.Trim();
        return text is { Length: var length } && length > max ? Problems.Validation(field, $"is at most {max:N0} characters") : null;
    }

    /// <summary>A plain address (local@domain): no display name, no spaces, no angle brackets, at most 254 characters.</summary>
    public static bool IsEmail(string? text)
    {
        if (string.IsNullOrWhiteSpace(text) || text.Length > 254)
        {
            return false;
        }

        var at = text.LastIndexOf('@');
        return at > 0 && at < text.Length - 1 && text.IndexOf('@') == at && !text.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c is '<' or '>' or ',' or ';' or '"' or '(' or ')' or '[' or ']' or '\\')
            && text[(at + 1)..].Contains('.', StringComparison.Ordinal);
    }

    /// <summary>An absolute http(s) URL without credentials in it.</summary>
    public static bool IsHttpUrl(string? text, bool httpsOnly, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Uri? uri) =>
        Uri.TryCreate(text, UriKind.Absolute, out uri) && (uri.Scheme == Uri.UriSchemeHttps || (!httpsOnly && uri.Scheme == Uri.UriSchemeHttp))
        && string.IsNullOrEmpty(uri.UserInfo) && text!.Length <= 2_000;

    /// <summary>"HH:mm" (24-hour).</summary>
    public static bool TryTime(string? text, out TimeOnly time) =>
        TimeOnly.TryParseExact(text, ["HH:mm", "H:mm"], CultureInfo.InvariantCulture, DateTimeStyles.None, out time);

    public static string Camel(DetectionSignal signal) => Camel(signal.ToString());

    public static string Camel(string name) => char.ToLowerInvariant(name[0]) + name[1..];
}
