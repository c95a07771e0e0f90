using k8s.Models;
using Scheduler.Core.Deferral;
using Scheduler.Deploy.Tests.Support;

namespace Scheduler.Deploy.Tests.Examples;

/// <summary>The example Jobs ask for deferral with annotations the service's own reader accepts.</summary>
public class ExampleJobTests
{
    private static readonly DateTimeOffset Submitted = new(2026, 11, 30, 0, 0, 0, TimeSpan.Zero);

    private static T Example<T>(string file) =>
        ManifestLoader.Load(File.ReadAllText(DeployPaths.In("examples", file)), file).All<T>().Single();

    private static DeferralReading Read(IDictionary<string, string> annotations) =>
        DeferralRequestReader.Read(annotations.AsReadOnly(), Submitted, new DeferralSettings());

    [Fact]
    public void GpuTrainingJob_HasADeadline_IsInterruptible_AndBelongsToATeam()
    {
        var job = Example<V1Job>("gpu-training-job.yaml");
        var reading = Read(job.Metadata.Annotations);

        Assert.Empty(reading.Errors);
        Assert.True(reading.Deferrable);
        Assert.Equal(new DateTimeOffset(2026, 12, 1, 6, 0, 0, TimeSpan.Zero), reading.Request!.Deadline);
        Assert.Equal(TimeSpan.FromHours(4), reading.Request.Duration);
        Assert.True(reading.Request.Interruptible);
        Assert.False(string.IsNullOrEmpty(job.Metadata.Labels["team"]));
        var container = job.Spec.Template.Spec.Containers.Single();
        Assert.Equal("1", container.Resources.Limits["nvidia.com/gpu"].ToString());
        Assert.Equal(job.Metadata.Annotations["carbon-aware.io/duration"], job.Spec.Template.Metadata.Annotations["carbon-aware.io/duration"]);
    }

    [Fact]
    public void NightlyCronJob_GivesEachJobAMaximumDelay()
    {
        var cron = Example<V1CronJob>("nightly-cronjob.yaml");
        var reading = Read(cron.Spec.JobTemplate.Metadata.Annotations);

        Assert.Empty(reading.Errors);
        Assert.True(reading.Deferrable);
        Assert.Equal(Submitted.AddHours(6).Add(reading.Request!.Duration), reading.Request.Deadline);
        Assert.Equal("Forbid", cron.Spec.ConcurrencyPolicy);
    }

    [Fact]
    public void KueueJob_IsQueuedByKueue_AndAsksForDeferral()
    {
        var job = Example<V1Job>("kueue-job.yaml");
        var reading = Read(job.Metadata.Annotations);

        Assert.Empty(reading.Errors);
        Assert.True(reading.Deferrable);
        Assert.False(string.IsNullOrEmpty(job.Metadata.Labels["kueue.x-k8s.io/queue-name"]));
        Assert.True(job.Spec.Suspend);
    }
}
