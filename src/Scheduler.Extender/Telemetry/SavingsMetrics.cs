using Prometheus;
using Scheduler.Core.Accounting;

namespace Scheduler.Extender.Telemetry;

/// <summary>
/// The carbon savings counters, by namespace: what the accounted Jobs emitted, their baseline, their runs' times in
/// the baseline zone, and what holding them cost, in gCO2eq, and how many Jobs were accounted. Every figure is a
/// monotonic counter (a saving may be negative, so the saving itself is not one); the savings are their differences:
/// saved = baseline - emitted - holding, temporal = baseline - baseline-zone run time, spatial = baseline-zone run
/// time - emitted.
/// </summary>
/// <remarks>
/// Nothing is exported for a namespace before its first accounted Job. Prometheus' <c>increase()</c> and
/// <c>rate()</c> take the first sample of a new series as its start, so a series born with its first Job's grams
/// would lose them. The namespace's series are therefore created at zero when its first Job is counted, and that
/// Job's figures (and any other counted before then) are added only at the first collection after one that exported
/// the zeros: the first scrape sees 0, the next the grams. The caveat: with several Prometheus servers scraping the
/// service (an HA pair), only the first scrape of all sees the zero, so another server may miss the first Job; and a
/// namespace's first figures wait until the service is scraped twice. Counters start again from zero when the
/// service restarts, which <c>increase()</c> handles as a reset.
/// </remarks>
internal sealed class SavingsMetrics
{
    /// <summary>The <c>energy_source</c> label of a Job measured by Kepler.</summary>
    public const string MeasuredLabel = "measured";

    /// <summary>The <c>energy_source</c> label of a Job whose energy was estimated.</summary>
    public const string EstimatedLabel = "estimated";

    private readonly Counter _emitted;
    private readonly Counter _baseline;
    private readonly Counter _baselineZoneRunTime;
    private readonly Counter _holding;
    private readonly Counter _jobs;

    private readonly Lock _gate = new();

    // Guarded by _gate.
    private readonly Dictionary<string, NamespaceCounters> _namespaces = new(StringComparer.Ordinal);

    public SavingsMetrics(CollectorRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        var factory = Metrics.WithCustomRegistry(registry);
        var byNamespace = new CounterConfiguration { LabelNames = ["namespace"] };
        _emitted = factory.CreateCounter(
            "carbon_emitted_grams_total",
            "gCO2eq emitted by the accounted Jobs' runs: their energy at the recorded actual intensity of where and when they ran, by namespace.",
            byNamespace);
        _baseline = factory.CreateCounter(
            "carbon_baseline_grams_total",
            "gCO2eq the accounted Jobs' energy would have emitted run at submission, in one piece, in the baseline zone (the cleanest candidate zone then), by namespace.",
            byNamespace);
        _baselineZoneRunTime = factory.CreateCounter(
            "carbon_baseline_zone_run_time_grams_total",
            "gCO2eq the accounted Jobs' runs would have emitted at the times they ran but in the baseline zone: temporal saving = baseline - this, spatial saving = this - emitted; by namespace.",
            byNamespace);
        _holding = factory.CreateCounter(
            "carbon_holding_grams_total",
            "gCO2eq of the energy measured while the accounted Jobs were held (charged against their saving), by namespace.",
            byNamespace);
        _jobs = factory.CreateCounter(
            "carbon_accounted_jobs_total",
            "Jobs accounted from the carbon ledger once their completion was written and actual intensities covered them, by namespace and energy source (measured, estimated).",
            new CounterConfiguration { LabelNames = ["namespace", "energy_source"] });
        registry.AddBeforeCollectCallback(OnCollect);
    }

    /// <summary>Counts <paramref name="job"/>; a Job that is not <see cref="AccountingStatus.Accounted"/> counts nothing.</summary>
    public void Count(JobEmissions job)
    {
        ArgumentNullException.ThrowIfNull(job);
        if (job.Status != AccountingStatus.Accounted)
        {
            return;
        }

        var figures = new Figures(
            Grams(job.EmittedGrams),
            Grams(job.BaselineGrams),
            Grams(job.BaselineGrams - job.TemporalSavedGrams),
            Grams(job.HoldingGrams),
            job.Entry.Energy?.Source == EnergySource.Measured ? 1 : 0,
            job.Entry.Energy?.Source == EnergySource.Measured ? 0 : 1);
        lock (_gate)
        {
            var ns = job.Entry.Namespace;
            if (!_namespaces.TryGetValue(ns, out var counters))
            {
                counters = new NamespaceCounters(
                    _emitted.WithLabels(ns),
                    _baseline.WithLabels(ns),
                    _baselineZoneRunTime.WithLabels(ns),
                    _holding.WithLabels(ns),
                    _jobs.WithLabels(ns, MeasuredLabel),
                    _jobs.WithLabels(ns, EstimatedLabel));
                _namespaces[ns] = counters;
            }

            if (counters.Live)
            {
                counters.Add(figures);
            }
            else
            {
                counters.Pending += figures;
            }
        }
    }

    // A grams figure as a counter takes it: never negative, never NaN.
    private static double Grams(double grams) => double.IsFinite(grams) && grams > 0 ? grams : 0;

    // Before each collection: a namespace whose zeros an earlier collection exported gets its pending figures now.
    private void OnCollect()
    {
        lock (_gate)
        {
            foreach (var counters in _namespaces.Values)
            {
                if (counters.Live)
                {
                    continue;
                }

                if (counters.ZerosExported)
                {
                    counters.Add(counters.Pending);
                    counters.Pending = default;
                    counters.Live = true;
                }
                else
                {
                    counters.ZerosExported = true;
                }
            }
        }
    }

    private readonly record struct Figures(double Emitted, double Baseline, double BaselineZoneRunTime, double Holding, int Measured, int Estimated)
    {
        public static Figures operator +(Figures left, Figures right) => new(
            left.Emitted + right.Emitted,
            left.Baseline + right.Baseline,
            left.BaselineZoneRunTime + right.BaselineZoneRunTime,
            left.Holding + right.Holding,
            left.Measured + right.Measured,
            left.Estimated + right.Estimated);
    }

    private sealed class NamespaceCounters(
        Counter.Child emitted,
        Counter.Child baseline,
        Counter.Child baselineZoneRunTime,
        Counter.Child holding,
        Counter.Child measuredJobs,
        Counter.Child estimatedJobs)
    {
        // Whether a collection has exported this namespace's zeros; then whether figures go straight to the counters.
        public bool ZerosExported { get; set; }

        public bool Live { get; set; }

        public Figures Pending { get; set; }

        public void Add(Figures figures)
        {
            emitted.Inc(figures.Emitted);
            baseline.Inc(figures.Baseline);
            baselineZoneRunTime.Inc(figures.BaselineZoneRunTime);
            holding.Inc(figures.Holding);
            measuredJobs.Inc(figures.Measured);
            estimatedJobs.Inc(figures.Estimated);
        }
    }
}
