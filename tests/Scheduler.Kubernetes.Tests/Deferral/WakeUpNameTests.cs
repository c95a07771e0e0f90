using System.Collections.Specialized;
using Quartz;
using Scheduler.Kubernetes.Deferral;
using JobKey = Scheduler.Kubernetes.Deferral.JobKey;

namespace Scheduler.Kubernetes.Tests.Deferral;

/// <summary>The names and data Quartz keeps a wake-up under name its Job or Pod, so the wake-up asks for the right one.</summary>
public class WakeUpNameTests
{
    [Theory]
    [InlineData("ml", "train", WorkloadKind.Job, "ml/train")]
    [InlineData("ml", "train", WorkloadKind.Pod, "pod/ml/train")]
    public void WakeUpName_RoundTripsTheKey(string ns, string name, WorkloadKind kind, string expected)
    {
        var key = new JobKey(ns, name, kind);

        Assert.Equal(expected, key.WakeUpName);
        Assert.Equal(key, JobKey.FromWakeUpName(key.WakeUpName));
    }

    [Theory]
    [InlineData("train")]
    [InlineData("ml/")]
    [InlineData("pod/train")]
    [InlineData("a/b/c")]
    public void FromWakeUpName_NotAKeysName_Throws(string name)
    {
        Assert.Throws<FormatException>(() => JobKey.FromWakeUpName(name));
    }

    [Fact]
    public async Task QuartzWakeUps_JobAndPodOfOneName_AreKeptApartAndEachNamesItsKey()
    {
        // The in-memory store, never started: only what is stored is looked at.
        await using var factory = QuartzSchedulerBuilder.Create().UseProperties(new NameValueCollection
        {
            ["quartz.scheduler.instanceName"] = $"wake-up-names-{Guid.NewGuid():N}",
        }).Build();
        var scheduler = await factory.GetScheduler();
        try
        {
            var wakeUps = new QuartzWakeUps(factory);
            var job = new JobKey("ml", "train");
            var pod = new JobKey("ml", "train", WorkloadKind.Pod);
            var at = DateTimeOffset.UtcNow.AddHours(1);

            await wakeUps.ScheduleAsync(job, [at], CancellationToken.None);
            await wakeUps.ScheduleAsync(pod, [at, at.AddHours(1)], CancellationToken.None);

            foreach (var key in new[] { job, pod })
            {
                var detail = await scheduler.GetJobDetail(new Quartz.JobKey(key.WakeUpName, QuartzWakeUps.Group));
                Assert.Equal(key, WakeUpJob.KeyOf(detail!.JobDataMap));
            }

            Assert.Equal(2, (await scheduler.GetTriggersOfJob(new Quartz.JobKey(pod.WakeUpName, QuartzWakeUps.Group))).Count);
        }
        finally
        {
            await scheduler.Shutdown();
        }
    }

    [Fact]
    public void KeyOf_WakeUpStoredBeforePodsWereHandled_IsAJob()
    {
        var data = new JobDataMap { [WakeUpJob.NamespaceKey] = "ml", [WakeUpJob.NameKey] = "train" };

        Assert.Equal(new JobKey("ml", "train"), WakeUpJob.KeyOf(data));
    }
}
