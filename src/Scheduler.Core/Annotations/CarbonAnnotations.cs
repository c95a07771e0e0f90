namespace Scheduler.Core.Annotations;

/// <summary>The annotation and label keys users and the scheduler exchange (prefix <c>carbon-aware.io/</c>).</summary>
public static class CarbonAnnotations
{
    /// <summary>The common prefix.</summary>
    public const string Prefix = "carbon-aware.io/";

    /// <summary>RFC 3339 time by which a Job must have finished.</summary>
    public const string Deadline = Prefix + "deadline";

    /// <summary>How long a Job's start may move, e.g. <c>8h</c>.</summary>
    public const string MaxDelay = Prefix + "max-delay";

    /// <summary>Expected run time, e.g. <c>2h30m</c>.</summary>
    public const string Duration = Prefix + "duration";

    /// <summary><c>true</c> when a Job checkpoints and may be suspended and resumed.</summary>
    public const string Interruptible = Prefix + "interruptible";

    /// <summary>gCO2eq/kWh cap: nodes in zones above it are filtered out.</summary>
    public const string MaxIntensity = Prefix + "max-intensity";

    /// <summary>Comma-separated grid zones a Job may run in.</summary>
    public const string Zones = Prefix + "zones";

    /// <summary>Node label naming the node's grid zone explicitly; wins over the cloud region.</summary>
    public const string GridZoneLabel = Prefix + "grid-zone";
}
