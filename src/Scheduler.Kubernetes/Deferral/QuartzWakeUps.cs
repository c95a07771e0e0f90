using System.Collections.Concurrent;
using Quartz;

namespace Scheduler.Kubernetes.Deferral;

/// <summary>
/// Wake-ups as Quartz triggers: with the PostgreSQL store they survive a restart or a failover and
/// fire on exactly one replica of the cluster; a misfired one (every replica down at its time) fires
/// as soon as a scheduler is back. One Quartz job per Job or Pod (named by <see cref="JobKey.WakeUpName"/>),
/// one trigger per wake-up time.
/// </summary>
public sealed class QuartzWakeUps(ISchedulerFactory factory) : IWakeUps
{
    /// <summary>The Quartz group of the wake-up jobs and triggers.</summary>
    public const string Group = "carbon-wake-ups";

    // What this replica last wrote per key: a decision that keeps the plan does not rewrite the store.
    private readonly ConcurrentDictionary<JobKey, DateTimeOffset[]> _written = new();

    /// <inheritdoc />
    public async Task ScheduleAsync(JobKey job, IReadOnlyList<DateTimeOffset> times, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(times);
        var wanted = times.Distinct().Order().ToArray();
        if (_written.TryGetValue(job, out var written) && written.SequenceEqual(wanted))
        {
            return;
        }

        var scheduler = await factory.GetScheduler(cancellationToken).ConfigureAwait(false);
        var key = new Quartz.JobKey(job.WakeUpName, Group);
        await scheduler.DeleteJob(key, cancellationToken).ConfigureAwait(false);
        if (wanted.Length > 0)
        {
            var detail = JobBuilder.Create<WakeUpJob>()
                .WithIdentity(key)
                .UsingJobData(WakeUpJob.NamespaceKey, job.Namespace)
                .UsingJobData(WakeUpJob.NameKey, job.Name)
                .UsingJobData(WakeUpJob.KindKey, job.Kind.ToString())
                .Build();
            var triggers = wanted.Select((at, i) => TriggerBuilder.Create()
                .WithIdentity($"{job.WakeUpName}#{i}", Group)
                .ForJob(detail)
                .StartAt(at)
                .WithSimpleSchedule(s => s.WithMisfireInstruction(SimpleTriggerMisfireInstruction.FireNow))
                .Build()).ToList();
            await scheduler.ScheduleJob(detail, triggers, cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        _written[job] = wanted;
    }
}
