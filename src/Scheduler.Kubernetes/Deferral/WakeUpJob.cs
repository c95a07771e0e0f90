using Quartz;

namespace Scheduler.Kubernetes.Deferral;

/// <summary>The Quartz job of a wake-up: asks for a decision on the Job or Pod it names, on this replica.</summary>
public sealed class WakeUpJob(PendingJobs pending) : IJob
{
    /// <summary>The job data key of the object's namespace.</summary>
    public const string NamespaceKey = "namespace";

    /// <summary>The job data key of the object's name.</summary>
    public const string NameKey = "name";

    /// <summary>The job data key of the object's kind (<see cref="WorkloadKind"/>); absent in wake-ups of Jobs stored before Pods were handled.</summary>
    public const string KindKey = "kind";

    /// <summary>The key a wake-up's job data names.</summary>
    public static JobKey KeyOf(JobDataMap data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var kind = data.TryGetString(KindKey, out var text) && Enum.TryParse<WorkloadKind>(text, ignoreCase: false, out var parsed) ? parsed : WorkloadKind.Job;
        return new JobKey(data.GetString(NamespaceKey)!, data.GetString(NameKey)!, kind);
    }

    /// <inheritdoc />
    public ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        pending.Enqueue(KeyOf(context.MergedJobDataMap));
        return ValueTask.CompletedTask;
    }
}
