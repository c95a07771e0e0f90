using Prometheus;

namespace Scheduler.Extender.Telemetry;

/// <summary>The admission webhook's metrics, on the application's registry.</summary>
internal sealed class AdmissionMetrics
{
    /// <summary>The decisions counted, in the order of <see cref="Decision"/>.</summary>
    private static readonly string[] Decisions = ["held", "untouched", "denied", "invalid"];

    private readonly Counter.Child[] _reviews;
    private readonly Histogram _seconds;

    public AdmissionMetrics(CollectorRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        var factory = Metrics.WithCustomRegistry(registry);
        var reviews = factory.CreateCounter(
            "carbon_admission_reviews_total",
            "Admission reviews answered, by decision: held (patched to wait for the controller), untouched (allowed as sent), denied (strict Job with invalid annotations), invalid (not a readable AdmissionReview, HTTP 400).",
            new CounterConfiguration { LabelNames = ["decision"] });

        // Children made up front, so every decision is exported (as 0) before it first happens.
        _reviews = [.. Decisions.Select(decision => reviews.WithLabels(decision))];
        _seconds = factory.CreateHistogram(
            "carbon_admission_review_duration_seconds",
            "Time to answer an admission review, by resource (jobs, pods).",
            new HistogramConfiguration { LabelNames = ["resource"], Buckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1] });
    }

    /// <summary>The decisions of a review.</summary>
    public enum Decision
    {
        /// <summary>Patched to wait for the controller.</summary>
        Held,

        /// <summary>Allowed as sent.</summary>
        Untouched,

        /// <summary>Rejected.</summary>
        Denied,

        /// <summary>Not a readable review (HTTP 400).</summary>
        Invalid,
    }

    public void Record(string resource, Decision decision, TimeSpan elapsed)
    {
        _reviews[(int)decision].Inc();
        _seconds.WithLabels(resource).Observe(elapsed.TotalSeconds);
    }
}
