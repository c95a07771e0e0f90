namespace Scheduler.Core.Scoring;

/// <summary>Settings of node scoring and filtering (configuration section <c>Scoring</c>).</summary>
public sealed class ScoringOptions
{
    /// <summary>The configuration section name.</summary>
    public const string SectionName = "Scoring";

    /// <summary>Expected run of a pod without a <c>carbon-aware.io/duration</c> annotation, in minutes. Default 60.</summary>
    public int DefaultDurationMinutes { get; set; } = 60;

    /// <summary>Score (0..10) of a node whose grid zone or intensity is unknown. Default 5.</summary>
    public int NeutralScore { get; set; } = 5;

    /// <summary>
    /// CPU cores assumed for a pod that requests none, so that it still has a power cost.
    /// Default 0.1, the same non-zero default kube-scheduler uses when scoring such pods.
    /// </summary>
    public double DefaultCpuCores { get; set; } = 0.1;

    /// <summary>Power usage effectiveness of the data centres in each grid zone (zone id -> PUE, at least 1).</summary>
    public Dictionary<string, double> Pue { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>PUE of zones not listed in <see cref="Pue"/>. Default 1 (IT power only).</summary>
    public double DefaultPue { get; set; } = 1.0;

    /// <summary>Extended resources that count as GPUs when a pod requests them.</summary>
    public List<string> GpuResources { get; set; } =
    [
        "nvidia.com/gpu",
        "amd.com/gpu",
        "gpu.intel.com/i915",
        "gpu.intel.com/xe",
    ];

    /// <summary>The default expected run of a pod.</summary>
    public TimeSpan DefaultDuration => TimeSpan.FromMinutes(DefaultDurationMinutes);

    /// <summary>The PUE of <paramref name="zone"/>.</summary>
    public double PueOf(string zone) => Pue.TryGetValue(zone, out var pue) ? pue : DefaultPue;

    /// <summary>Every problem with these settings, one message per bad setting; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (DefaultDurationMinutes is < 1 or > 60 * 24 * 31)
        {
            errors.Add($"Scoring:DefaultDurationMinutes is {DefaultDurationMinutes}; it must be between 1 and 44640 (31 days).");
        }

        if (NeutralScore is < NodeScorer.MinScore or > NodeScorer.MaxScore)
        {
            errors.Add($"Scoring:NeutralScore is {NeutralScore}; it must be between {NodeScorer.MinScore} and {NodeScorer.MaxScore}.");
        }

        if (!double.IsFinite(DefaultCpuCores) || DefaultCpuCores <= 0)
        {
            errors.Add($"Scoring:DefaultCpuCores is {DefaultCpuCores}; it must be a positive number of cores.");
        }

        if (!double.IsFinite(DefaultPue) || DefaultPue < 1)
        {
            errors.Add($"Scoring:DefaultPue is {DefaultPue}; a PUE is at least 1.");
        }

        foreach (var (zone, pue) in Pue)
        {
            if (!double.IsFinite(pue) || pue < 1)
            {
                errors.Add($"Scoring:Pue:{zone} is {pue}; a PUE is at least 1.");
            }
        }

        if (GpuResources.Any(string.IsNullOrWhiteSpace))
        {
            errors.Add("Scoring:GpuResources contains an empty resource name.");
        }

        return errors;
    }
}
