using Quartz;

namespace Scheduler.Storage.Tests.Support;

/// <summary>A job that only records that it ran, in the <see cref="ExecutionLog"/> named by its data.</summary>
public sealed class CountingJob : IJob
{
    /// <summary>The job data key holding the <see cref="ExecutionLog.Id"/>.</summary>
    public const string LogKey = "log";

    public ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        Executions.Record(
            context.MergedJobDataMap.GetString(LogKey),
            new Execution(context.JobDetail.Key.ToString(), context.Scheduler.SchedulerInstanceId, context.FireTimeUtc, context.ScheduledFireTimeUtc));
        return ValueTask.CompletedTask;
    }

    /// <summary>A durable-less job of this type recording into <paramref name="log"/>.</summary>
    internal static IJobDetail Detail(ExecutionLog log, string name) =>
        JobBuilder.Create<CountingJob>().WithIdentity(name, "storage-tests").UsingJobData(LogKey, log.Id).Build();
}
