using k8s.Models;
using Scheduler.Core.Annotations;
using Scheduler.Core.Deferral;
using Scheduler.Kubernetes.Admission;

namespace Scheduler.Kubernetes.Deferral;

/// <summary>Reads the parts of a <see cref="V1Job"/> the deferral decision needs.</summary>
public static class V1JobConversion
{
    /// <summary>The Job's key.</summary>
    public static JobKey KeyOf(this V1Job job)
    {
        ArgumentNullException.ThrowIfNull(job);
        return new JobKey(job.Metadata?.NamespaceProperty ?? "default", job.Metadata?.Name ?? string.Empty);
    }

    /// <summary>Whether Kueue manages the Job, so that it is held through Kueue's admission gate.</summary>
    public static bool IsKueueManaged(this V1Job job) =>
        job?.Metadata?.Labels is { } labels && labels.TryGetValue(KueueKeys.QueueNameLabel, out var queue) && !string.IsNullOrEmpty(queue);

    /// <summary>Whether the Job carries any annotation the controller acts on.</summary>
    public static bool HasCarbonAnnotations(this V1Job job) =>
        job?.Metadata?.Annotations is { } annotations
        && (annotations.ContainsKey(CarbonAnnotations.Deadline) || annotations.ContainsKey(CarbonAnnotations.MaxDelay) || annotations.ContainsKey(CarbonAnnotations.State));

    /// <summary>Whether the Job has finished: its <c>Complete</c> or <c>Failed</c> condition is true.</summary>
    public static bool IsFinished(this V1Job job) =>
        job?.Status?.Conditions?.Any(c => c.Type is "Complete" or "Failed" && c.Status == "True") == true;

    /// <summary>
    /// The scheduler its pods ask for: the pod template's <c>schedulerName</c>, or <c>default-scheduler</c> (the API
    /// server's default) when it names none.
    /// </summary>
    public static string SchedulerNameOf(this V1Job job) =>
        job?.Spec?.Template?.Spec?.SchedulerName is { Length: > 0 } name ? name : "default-scheduler";

    /// <summary>The Job as the decision sees it.</summary>
    /// <param name="job">The Job.</param>
    /// <param name="dryRun">Whether its namespace is in dry run.</param>
    /// <param name="kueueGate">Our gate's name in Kueue's admission gates.</param>
    public static JobView ToView(this V1Job job, bool dryRun, string kueueGate)
    {
        ArgumentNullException.ThrowIfNull(job);
        var annotations = job.Metadata?.Annotations is { } map ? new Dictionary<string, string>(map, StringComparer.Ordinal) : [];
        var suspended = job.IsKueueManaged()
            ? HasGate(annotations.GetValueOrDefault(KueueKeys.AdmissionGatedBy), kueueGate)
            : job.Spec?.Suspend == true;
        var finished = job.IsFinished();
        var created = job.Metadata?.CreationTimestamp is { } timestamp ? new DateTimeOffset(DateTime.SpecifyKind(timestamp, DateTimeKind.Utc)) : DateTimeOffset.MinValue;
        return new JobView(created, annotations, suspended, finished, dryRun);
    }

    /// <summary>What one of the Job's pods needs of a node, and the zones its annotation allows.</summary>
    public static PlacementNeeds ToNeeds(this V1Job job, IReadOnlyList<string> gpuResources, IReadOnlyList<string> allowedZones)
    {
        ArgumentNullException.ThrowIfNull(job);
        return V1PodConversion.NeedsOf(job.Spec?.Template?.Spec, gpuResources, allowedZones);
    }

    /// <summary>Whether Kueue's comma-separated gate list holds <paramref name="gate"/>.</summary>
    public static bool HasGate(string? gates, string gate) =>
        gates is not null && gates.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Contains(gate, StringComparer.Ordinal);
}
