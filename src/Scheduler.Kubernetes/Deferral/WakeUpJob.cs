using Quartz;

namespace Scheduler.Kubernetes.Deferral;

/// <summary>The Quartz job of a wake-up: asks for a decision on the Job it names, on this replica.</summary>
public sealed class WakeUpJob(PendingJobs pending) : IJob
{
    /// <summary>The job data key of the Job's namespace.</summary>
    public const string NamespaceKey = "namespace";

    /// <summary>The job data key of the Job's name.</summary>
    public const string NameKey = "name";

    /// <inheritdoc />
    public ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var data = context.MergedJobDataMap;
        pending.Enqueue(new JobKey(data.GetString(NamespaceKey)!, data.GetString(NameKey)!));
        return ValueTask.CompletedTask;
    }
}
