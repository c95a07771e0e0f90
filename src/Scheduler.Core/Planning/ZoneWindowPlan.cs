namespace Scheduler.Core.Planning;

/// <summary>The best run window found in one of several grid zones.</summary>
/// <param name="Zone">The zone chosen.</param>
/// <param name="Window">The window in that zone.</param>
public sealed record ZoneWindowPlan(string Zone, WindowPlan Window);
