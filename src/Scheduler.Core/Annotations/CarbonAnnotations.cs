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

    /// <summary>Any value releases a held Job at once, whatever its plan.</summary>
    public const string ReleaseNow = Prefix + "release-now";

    /// <summary><c>true</c> to have a Job with invalid carbon annotations rejected at admission instead of run at once.</summary>
    public const string Strict = Prefix + "strict";

    /// <summary>Written by the controller: when the Job is planned to start (RFC 3339).</summary>
    public const string PlannedStart = Prefix + "planned-start";

    /// <summary>Written by the controller: the grid zone the Job is planned to run in.</summary>
    public const string PlannedZone = Prefix + "planned-zone";

    /// <summary>Written by the controller: the latest start that still meets the deadline (RFC 3339).</summary>
    public const string LatestStart = Prefix + "latest-start";

    /// <summary>Written by the controller: mean forecast intensity over the planned run, gCO2eq/kWh.</summary>
    public const string ExpectedIntensity = Prefix + "expected-intensity";

    /// <summary>Written by the controller: mean forecast intensity had the Job started at once, gCO2eq/kWh.</summary>
    public const string BaselineIntensity = Prefix + "baseline-intensity";

    /// <summary>Written by the controller: <c>held</c>, <c>released</c> or <c>completed</c>.</summary>
    public const string State = Prefix + "state";

    /// <summary>Written by the controller: why the Job is where it is, in words.</summary>
    public const string Reason = Prefix + "reason";

    /// <summary>Written by the controller in dry run: what it would have done, and what that would have saved.</summary>
    public const string DryRunPlan = Prefix + "dry-run-plan";

    /// <summary>Node label naming the node's grid zone explicitly; wins over the cloud region.</summary>
    public const string GridZoneLabel = Prefix + "grid-zone";
}
