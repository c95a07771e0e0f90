namespace Scheduler.Signals.Kepler;

/// <summary>Kepler settings (configuration section <c>Kepler</c>).</summary>
public sealed class KeplerOptions
{
    /// <summary>The configuration section name.</summary>
    public const string SectionName = "Kepler";

    /// <summary>A RAPL package counter's range on most Intel hosts (<c>max_energy_range_uj</c> 262143328850), in joules.</summary>
    public const double TypicalRaplRangeJoules = 262_143.32885;

    /// <summary>The base URL of the Prometheus that scrapes Kepler; absent: the hardware power models alone.</summary>
    public string? PrometheusUrl { get; set; }

    /// <summary>A file holding a bearer token for Prometheus (e.g. a Thanos querier behind kube-rbac-proxy); absent: none.</summary>
    public string? TokenFile { get; set; }

    /// <summary>How often the nodes' current power and load are read, in seconds. Default 60.</summary>
    public int RefreshIntervalSeconds { get; set; } = 60;

    /// <summary>How often the power models are fitted again from history, in minutes. Default 60.</summary>
    public int ModelRefreshMinutes { get; set; } = 60;

    /// <summary>
    /// The window of raw samples a current reading averages over, in seconds. It must hold at least
    /// two scrapes of Kepler. Default 120.
    /// </summary>
    public int ReadingWindowSeconds { get; set; } = 120;

    /// <summary>The history the power models are fitted on, in days. Default 7.</summary>
    public double HistoryDays { get; set; } = 7;

    /// <summary>The resolution of that history, in seconds (also the rate window of each point). Default 600.</summary>
    public int HistoryStepSeconds { get; set; } = 600;

    /// <summary>
    /// The RAPL zones summed as a node's CPU power (0.10+ <c>zone</c> label; the legacy line's
    /// <c>package</c>/<c>dram</c>/<c>core</c>/<c>uncore</c> metrics). Zones overlap (package contains
    /// core and uncore; psys contains both), so list disjoint ones. Default <c>package,dram</c>.
    /// </summary>
    public string CpuZones { get; set; } = "package,dram";

    /// <summary>The value at which the raw 0.10+ RAPL counter wraps, in joules. Default 262143.32885.</summary>
    public double RaplWrapJoules { get; set; } = TypicalRaplRangeJoules;

    /// <summary>The most CPU power a node can draw, in watts: counter steps implying more are glitches. Default 5000.</summary>
    public double MaxCpuWatts { get; set; } = 5_000;

    /// <summary>The most power one GPU can draw, in watts: counter steps implying more are glitches. Default 2000.</summary>
    public double MaxGpuWatts { get; set; } = 2_000;

    /// <summary>How old a node's last reading may be, in seconds, before the hardware model is used instead. Default 900.</summary>
    public int StaleAfterSeconds { get; set; } = 900;

    /// <summary>How long one Prometheus query may take, in seconds. Default 20.</summary>
    public int QueryTimeoutSeconds { get; set; } = 20;

    /// <summary>Retries of a failed query within one refresh. Default 2.</summary>
    public int MaxRetryAttempts { get; set; } = 2;

    /// <summary>How long the circuit stays open after repeated failures, in seconds. Default 120.</summary>
    public int CircuitBreakSeconds { get; set; } = 120;

    /// <summary>History points a node needs for a model of its own; with fewer it learns from nodes of the same hardware. Default 36 (6 hours at the default step).</summary>
    public int MinHistoryPoints { get; set; } = 36;

    /// <summary>The quantile of a node's power over the history taken as its idle baseline. Default 0.05.</summary>
    public double IdleQuantile { get; set; } = 0.05;

    /// <summary>Whether Kepler is configured.</summary>
    public bool IsEnabled => !string.IsNullOrWhiteSpace(PrometheusUrl);

    /// <summary>The zones of <see cref="CpuZones"/>, trimmed and lower-cased.</summary>
    public IReadOnlyList<string> Zones =>
        CpuZones.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(z => z.ToLowerInvariant()).Distinct().ToArray();

    /// <summary>Every problem with these settings, one message per bad setting; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (PrometheusUrl is not null && !string.IsNullOrWhiteSpace(PrometheusUrl)
            && (!Uri.TryCreate(PrometheusUrl, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps)))
        {
            errors.Add($"Kepler:PrometheusUrl '{PrometheusUrl}' is not an absolute http(s) URL.");
        }
        else if (!string.IsNullOrWhiteSpace(PrometheusUrl) && new Uri(PrometheusUrl).UserInfo.Length > 0)
        {
            // Not sent by the client, and would be printed with the URL: the value itself is not repeated.
            errors.Add("Kepler:PrometheusUrl carries credentials (user:password@); put a bearer token in Kepler:TokenFile instead.");
        }

        if (TokenFile is not null && !string.IsNullOrWhiteSpace(TokenFile) && !File.Exists(TokenFile))
        {
            errors.Add($"Kepler:TokenFile '{TokenFile}' does not exist.");
        }

        Range(errors, nameof(RefreshIntervalSeconds), RefreshIntervalSeconds, 5, 3_600);
        Range(errors, nameof(ModelRefreshMinutes), ModelRefreshMinutes, 1, 7 * 24 * 60);
        Range(errors, nameof(ReadingWindowSeconds), ReadingWindowSeconds, 10, 3_600);
        Range(errors, nameof(HistoryDays), HistoryDays, 0.01, 60);
        Range(errors, nameof(HistoryStepSeconds), HistoryStepSeconds, 1, 86_400);
        Range(errors, nameof(RaplWrapJoules), RaplWrapJoules, 1, 1e12);
        Range(errors, nameof(MaxCpuWatts), MaxCpuWatts, 1, 1e6);
        Range(errors, nameof(MaxGpuWatts), MaxGpuWatts, 1, 1e5);
        Range(errors, nameof(StaleAfterSeconds), StaleAfterSeconds, 10, 86_400);
        Range(errors, nameof(QueryTimeoutSeconds), QueryTimeoutSeconds, 1, 600);
        Range(errors, nameof(MaxRetryAttempts), MaxRetryAttempts, 0, 10);
        Range(errors, nameof(CircuitBreakSeconds), CircuitBreakSeconds, 1, 86_400);
        Range(errors, nameof(MinHistoryPoints), MinHistoryPoints, 3, 1_000_000);
        Range(errors, nameof(IdleQuantile), IdleQuantile, 0, 0.5);
        if (Zones.Count == 0)
        {
            errors.Add("Kepler:CpuZones names no zone; use e.g. 'package,dram'.");
        }
        else if (Zones.FirstOrDefault(z => !z.All(c => char.IsAsciiLetterOrDigit(c) || c == '_')) is { } bad)
        {
            errors.Add($"Kepler:CpuZones has '{bad}'; zone names are letters, digits and '_' (e.g. package, dram, psys).");
        }

        if (HistoryDays * 86_400 / HistoryStepSeconds > 11_000)
        {
            errors.Add($"Kepler:HistoryDays {HistoryDays} at HistoryStepSeconds {HistoryStepSeconds} asks Prometheus for more than its 11,000 points per series; raise the step.");
        }

        return errors;
    }

    private static void Range(List<string> errors, string name, double value, double min, double max)
    {
        if (!double.IsFinite(value) || value < min || value > max)
        {
            errors.Add(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"Kepler:{name} is {value}; it must be between {min} and {max}."));
        }
    }
}
