namespace Firebreak.Web.Endpoints;

using Firebreak.Core.Incidents;
using Firebreak.Core.Mentions;

/// <summary>Checks of incident input, shared by the API and the room's forms; each names the field at fault.</summary>
internal static class IncidentInput
{
    public const int MaxTitle = 200;
    public const int MaxList = 50;

    public static void Title(string? value, Dictionary<string, string[]> errors, bool required, out string? title)
    {
        title = value is null ? null : Core.Alerts.Channels.AlertText.OneLine(value).Trim();
        if (title is null ? required : title.Length == 0)
        {
            errors["title"] = ["is required"];
        }
        else if (title?.Length > MaxTitle)
        {
            errors["title"] = [$"is at most {MaxTitle} characters"];
        }
    }

    public static IncidentSeverity? Severity(string? value, Dictionary<string, string[]> errors)
    {
        if (value is null)
        {
            return null;
        }

        if (AlertValidation.TryEnum<IncidentSeverity>(value, out var severity))
        {
            return severity;
        }

        errors["severity"] = ["use sev1 (worst), sev2, sev3 or sev4"];
        return null;
    }

    public static IncidentStatus? Status(string? value, Dictionary<string, string[]> errors)
    {
        if (value is null)
        {
            return null;
        }

        if (AlertValidation.TryEnum<IncidentStatus>(value, out var status))
        {
            return status;
        }

        errors["status"] = ["use active, stable or resolved"];
        return null;
    }

    public static string? Type(string? value, Dictionary<string, string[]> errors)
    {
        if (value is null || IncidentTypes.IsKnown(value.Trim()))
        {
            return value?.Trim();
        }

        errors["type"] = ["use one of " + string.Join(", ", IncidentTypes.All)];
        return null;
    }

    /// <summary>Topic ids of the workspace (0 is the whole stream).</summary>
    public static IReadOnlyList<long>? Topics(IReadOnlyList<long>? ids, IReadOnlySet<long> known, Dictionary<string, string[]> errors)
    {
        if (ids is null)
        {
            return null;
        }

        if (ids.Count > MaxList)
        {
            errors["topicIds"] = [$"at most {MaxList} topics"];
        }
        else if (ids.FirstOrDefault(id => id != 0 && !known.Contains(id)) is var unknown and not 0)
        {
            errors["topicIds"] = [$"no topic {unknown} in this workspace"];
        }

        return [.. ids.Distinct()];
    }

    public static IReadOnlyList<string>? Platforms(IReadOnlyList<string>? names, Dictionary<string, string[]> errors)
    {
        if (names is null)
        {
            return null;
        }

        var platforms = new List<string>();
        foreach (var name in names)
        {
            if (EnumNames.TryParsePlatform(name?.Trim(), out var platform))
            {
                platforms.Add(platform.ToWire());
            }
            else
            {
                errors["platforms"] = ["use " + string.Join(", ", EnumNames.PlatformWireNames)];
            }
        }

        return [.. platforms.Distinct()];
    }

    public static IncidentTaskState? TaskState(string? value, Dictionary<string, string[]> errors)
    {
        if (value is null)
        {
            return null;
        }

        if (AlertValidation.TryEnum<IncidentTaskState>(value, out var state))
        {
            return state;
        }

        errors["state"] = ["use open or done"];
        return null;
    }
}
