namespace Scheduler.Core.Simulation.Policies;

/// <summary>The policies by the names the command line takes.</summary>
public static class PolicyCatalog
{
    /// <summary>Every policy name.</summary>
    public static IReadOnlyList<string> Names { get; } =
        ["immediate", "lowest-window", "lowest-window-zones", "lowest-slots", "lowest-slots-zones", "threshold", "carbon-time"];

    /// <summary>The policy called <paramref name="name"/>, or <c>null</c> when there is none.</summary>
    /// <param name="name">The policy's name.</param>
    /// <param name="minimumChunk">The shortest stretch of an interruptible job.</param>
    public static IPlacementPolicy? Create(string name, TimeSpan minimumChunk) => name switch
    {
        "immediate" => new ImmediatePolicy(),
        "lowest-window" => new LowestWindowPolicy(),
        "lowest-window-zones" => new LowestWindowPolicy(AcrossZones: true),
        "lowest-slots" => new LowestSlotsPolicy(minimumChunk),
        "lowest-slots-zones" => new LowestSlotsPolicy(minimumChunk, AcrossZones: true),
        "threshold" => new ThresholdPolicy(),
        "carbon-time" => new CarbonTimePolicy(),
        _ => null,
    };
}
