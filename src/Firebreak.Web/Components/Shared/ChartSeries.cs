namespace Firebreak.Web.Components.Shared;

/// <summary>One line of a <see cref="LineChart"/>: a name for the legend, a CSS class for its colour, one value per time.</summary>
public sealed record ChartSeries(string Name, string CssClass, IReadOnlyList<double> Values);

/// <summary>One bar of a <see cref="BarList"/>.</summary>
public sealed record BarItem(string Label, double Value, string? Href = null);
