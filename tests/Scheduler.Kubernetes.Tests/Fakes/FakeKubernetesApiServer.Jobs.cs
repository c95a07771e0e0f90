using k8s.Models;

namespace Scheduler.Kubernetes.Tests.Fakes;

/// <summary>
/// The <c>batch/v1</c> Jobs of <see cref="FakeKubernetesApiServer"/>. The fake never runs Jobs: tests play
/// the Job controller by setting their status, and users by creating, editing and deleting them.
/// </summary>
public sealed partial class FakeKubernetesApiServer
{
    /// <summary>
    /// Creates <paramref name="job"/> as <c>kubectl create</c> would (an <c>ADDED</c> event): with the API
    /// server's defaults, generated selector and labels, generation 1 and an empty status; a given uid and
    /// creationTimestamp are kept (so tests can date a Job). Returns the new resourceVersion.
    /// </summary>
    /// <exception cref="InvalidOperationException">A Job of that name exists, or the API server would reject it (the message says why).</exception>
    public string AddJob(V1Job job)
    {
        ArgumentNullException.ThrowIfNull(job);
        NameOf(job.Metadata?.Name, nameof(job));
        NameOf(job.Metadata?.NamespaceProperty, nameof(job));
        return Add(ResourceCatalog.Jobs, job);
    }

    /// <summary>Job <paramref name="name"/> as the API server serves it, or <c>null</c>.</summary>
    public V1Job? GetJob(string @namespace, string name) => Find<V1Job>(ResourceCatalog.Jobs, @namespace, name);

    /// <summary>The Jobs of <paramref name="namespace"/> (all when <c>null</c>), in creation order.</summary>
    public IReadOnlyList<V1Job> ListJobs(string? @namespace = null) => All<V1Job>(ResourceCatalog.Jobs, @namespace);

    /// <summary>
    /// Edits Job <paramref name="name"/> as a user would (<c>kubectl edit</c>: no resourceVersion precondition;
    /// status changes are ignored; generation moves on when the spec changes); returns the new resourceVersion
    /// (the same one when nothing changed).
    /// </summary>
    /// <exception cref="InvalidOperationException">No such Job, or the API server would reject the change (e.g. an immutable template).</exception>
    public string UpdateJob(string @namespace, string name, Action<V1Job> change) =>
        Change(ResourceCatalog.Jobs, @namespace, name, change, WriteOptions.Test);

    /// <summary>Changes the status of Job <paramref name="name"/> as the Job controller does (a <c>MODIFIED</c> event, generation unchanged); returns the new resourceVersion.</summary>
    public string SetJobStatus(string @namespace, string name, Action<V1JobStatus> change)
    {
        ArgumentNullException.ThrowIfNull(change);
        return Change<V1Job>(ResourceCatalog.Jobs, @namespace, name, job => change(job.Status ??= new V1JobStatus()), WriteOptions.TestStatus);
    }

    /// <summary>
    /// Completes Job <paramref name="name"/> as the Job controller does: <c>status.succeeded</c> set to the
    /// completions (1 by default), <c>startTime</c> (if unset) and <c>completionTime</c> now, and the
    /// <c>SuccessCriteriaMet</c> and <c>Complete</c> conditions (reason <c>CompletionsReached</c>). Returns the new resourceVersion.
    /// </summary>
    public string CompleteJob(string @namespace, string name)
    {
        var now = Now();
        return Change<V1Job>(ResourceCatalog.Jobs, @namespace, name, job =>
        {
            var status = job.Status ??= new V1JobStatus();
            status.StartTime ??= now;
            status.CompletionTime = now;
            status.Succeeded = job.Spec.Completions ?? 1;
            status.Active = null;
            status.Ready = 0;
            status.Terminating = 0;
            status.UncountedTerminatedPods = new V1UncountedTerminatedPods();
            status.Conditions = [.. (status.Conditions ?? []).Where(c => c.Type is not ("SuccessCriteriaMet" or "Complete")),
                Condition("SuccessCriteriaMet", "CompletionsReached", "Reached expected number of succeeded pods", now),
                Condition("Complete", "CompletionsReached", "Reached expected number of succeeded pods", now)];
        }, WriteOptions.TestStatus);
    }

    /// <summary>
    /// Fails Job <paramref name="name"/> as the Job controller does: <c>status.failed</c> 1, <c>startTime</c>
    /// (if unset) now, and the <c>FailureTarget</c> and <c>Failed</c> conditions with <paramref name="reason"/>
    /// and <paramref name="message"/>. Returns the new resourceVersion.
    /// </summary>
    public string FailJob(string @namespace, string name, string reason = "BackoffLimitExceeded", string message = "Job has reached the specified backoff limit")
    {
        var now = Now();
        return Change<V1Job>(ResourceCatalog.Jobs, @namespace, name, job =>
        {
            var status = job.Status ??= new V1JobStatus();
            status.StartTime ??= now;
            status.Failed = 1;
            status.Active = null;
            status.Ready = 0;
            status.Terminating = 0;
            status.UncountedTerminatedPods = new V1UncountedTerminatedPods();
            status.Conditions = [.. (status.Conditions ?? []).Where(c => c.Type is not ("FailureTarget" or "Failed")),
                Condition("FailureTarget", reason, message, now),
                Condition("Failed", reason, message, now)];
        }, WriteOptions.TestStatus);
    }

    /// <summary>
    /// Deletes Job <paramref name="name"/> as <c>kubectl delete job</c> does (propagationPolicy=Background): a
    /// <c>DELETED</c> event, then its pods are deleted. Returns the resourceVersion after that.
    /// </summary>
    /// <exception cref="InvalidOperationException">No such Job.</exception>
    public string DeleteJob(string @namespace, string name) => Remove(ResourceCatalog.Jobs, @namespace, name);

    private static V1JobCondition Condition(string type, string reason, string message, DateTime now) =>
        new() { Type = type, Status = "True", Reason = reason, Message = message, LastProbeTime = now, LastTransitionTime = now };

    private DateTime Now()
    {
        // metav1.Time has whole seconds.
        var now = TimeProvider.GetUtcNow().UtcDateTime;
        return new DateTime(now.Ticks - (now.Ticks % TimeSpan.TicksPerSecond), DateTimeKind.Utc);
    }
}
