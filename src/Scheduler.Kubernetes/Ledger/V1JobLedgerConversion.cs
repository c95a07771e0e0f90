using k8s.Models;
using Scheduler.Kubernetes.Deferral;

namespace Scheduler.Kubernetes.Ledger;

/// <summary>Reads what the carbon ledger records of a <see cref="V1Job"/>.</summary>
internal static class V1JobLedgerConversion
{
    /// <summary>The Job as the ledger records it.</summary>
    public static LedgerSubject ToLedgerSubject(this V1Job job)
    {
        ArgumentNullException.ThrowIfNull(job);
        var metadata = job.Metadata;
        var key = job.KeyOf();
        return new LedgerSubject(
            metadata?.Uid ?? string.Empty,
            WorkloadKind.Job,
            key.Namespace,
            key.Name,
            metadata?.Labels is { } labels ? new Dictionary<string, string>(labels, StringComparer.Ordinal) : [],
            KubernetesTimes.Utc(metadata?.CreationTimestamp) ?? DateTimeOffset.MinValue,
            Node: null,
            KubernetesTimes.Utc(metadata?.DeletionTimestamp),
            EndingOf(job));
    }

    // A Job has ended once its Complete or Failed condition is true. The Job controller sets completionTime only on
    // success; a failed Job's end is its Failed condition's transition.
    private static LedgerEnding? EndingOf(V1Job job)
    {
        var conditions = job.Status?.Conditions ?? [];
        var failed = conditions.FirstOrDefault(c => c.Type == "Failed" && c.Status == "True");
        var ended = failed ?? conditions.FirstOrDefault(c => c.Type == "Complete" && c.Status == "True");
        if (ended is null)
        {
            return null;
        }

        var at = (failed is null ? KubernetesTimes.Utc(job.Status?.CompletionTime) : null) ?? KubernetesTimes.Utc(ended.LastTransitionTime);
        return new LedgerEnding(failed is null ? LedgerEnding.Completed : LedgerEnding.Failed, at, KubernetesTimes.Utc(job.Status?.StartTime), Pods: null);
    }
}
