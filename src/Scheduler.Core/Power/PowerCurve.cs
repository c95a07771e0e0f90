namespace Scheduler.Core.Power;

/// <summary>
/// A node's CPU power as a function of its CPU utilisation u (0..1):
/// <c>watts = IdleWatts + Linear·u + Quadratic·u²</c>. A hardware model is linear; a curve fitted
/// from measurements may bend where the data shows it (turbo, frequency scaling).
/// </summary>
/// <param name="IdleWatts">Power at u = 0.</param>
/// <param name="Linear">The linear coefficient, in watts.</param>
/// <param name="Quadratic">The quadratic coefficient, in watts.</param>
public sealed record PowerCurve(double IdleWatts, double Linear, double Quadratic = 0)
{
    /// <summary>A straight line from <paramref name="idleWatts"/> at rest to <paramref name="maxWatts"/> with every core busy.</summary>
    public static PowerCurve Line(double idleWatts, double maxWatts) => new(idleWatts, maxWatts - idleWatts);

    /// <summary>Power at utilisation <paramref name="utilisation"/>, clamped to 0..1.</summary>
    public double WattsAt(double utilisation)
    {
        var u = Math.Clamp(utilisation, 0, 1);
        return IdleWatts + (Linear * u) + (Quadratic * u * u);
    }

    /// <summary>Power with every core busy.</summary>
    public double MaxWatts => WattsAt(1);

    /// <summary>The power added by raising utilisation from <paramref name="from"/> by <paramref name="share"/> (never negative).</summary>
    public double Added(double from, double share)
    {
        var start = Math.Clamp(from, 0, 1);
        return Math.Max(0, WattsAt(Math.Min(1, start + Math.Max(0, share))) - WattsAt(start));
    }
}
