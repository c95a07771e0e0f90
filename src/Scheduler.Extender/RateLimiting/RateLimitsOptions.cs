namespace Scheduler.Extender.RateLimiting;

/// <summary>
/// Limits on how much each kind of caller may ask of the service (configuration section <c>RateLimits</c>).
/// The defaults are far above what a cluster asks in normal use: they exist to keep the process alive, not to
/// ration it. 0 turns a limit off. Probes and <c>/metrics</c> are never limited.
/// </summary>
public sealed class RateLimitsOptions
{
    /// <summary>The configuration section name.</summary>
    public const string SectionName = "RateLimits";

    /// <summary>
    /// The most <c>/filter</c> and <c>/prioritize</c> requests answered at once; more are refused at once with 429.
    /// kube-scheduler asks one Pod at a time per profile, so a refusal here only comes from a runaway caller
    /// (and, the extender being ignorable, the Pod is placed without carbon preference). Default 64.
    /// </summary>
    public int SchedulerConcurrency { get; set; } = 64;

    /// <summary>The most admission reviews (<c>/mutate/jobs</c>, <c>/mutate/pods</c>) answered at once. Default 64.</summary>
    public int AdmissionConcurrency { get; set; } = 64;

    /// <summary>
    /// <c>GET /reports/savings</c> per client and minute (a token bucket: this many at once, refilled over the
    /// minute). A client is its trusted client certificate's subject, else its address. Default 30.
    /// </summary>
    public int ReportsPerMinute { get; set; } = 30;

    /// <summary><c>GET /intensity</c> per client and minute (a token bucket, as for reports). Default 600.</summary>
    public int IntensityPerMinute { get; set; } = 600;

    /// <summary>Every problem with these settings; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        Check(problems, nameof(SchedulerConcurrency), SchedulerConcurrency, 10_000);
        Check(problems, nameof(AdmissionConcurrency), AdmissionConcurrency, 10_000);
        Check(problems, nameof(ReportsPerMinute), ReportsPerMinute, 60_000);
        Check(problems, nameof(IntensityPerMinute), IntensityPerMinute, 600_000);
        return problems;
    }

    private static void Check(List<string> problems, string name, int value, int most)
    {
        if (value < 0 || value > most)
        {
            problems.Add($"{SectionName}:{name} is {value}; it must be between 0 (no limit) and {most}.");
        }
    }
}
