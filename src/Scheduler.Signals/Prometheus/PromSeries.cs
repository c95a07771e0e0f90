namespace Scheduler.Signals.Prometheus;

/// <summary>One series of a query result: its labels and its samples, in time order.</summary>
/// <param name="Labels">The series' labels (<c>__name__</c> included when Prometheus kept it).</param>
/// <param name="Points">The samples: one for an instant vector, all raw samples for a range selector, one per step for a range query.</param>
public sealed record PromSeries(IReadOnlyDictionary<string, string> Labels, IReadOnlyList<PromPoint> Points)
{
    /// <summary>The value of label <paramref name="name"/>, or <c>null</c> when the series lacks it or it is empty.</summary>
    public string? Label(string name) => Labels.TryGetValue(name, out var value) && value.Length > 0 ? value : null;

    /// <summary>The newest sample's value, or <c>null</c> without samples.</summary>
    public double? Last => Points.Count > 0 ? Points[^1].Value : null;
}
