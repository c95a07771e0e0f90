using k8s.Models;
using Scheduler.Core.Accounting;
using Scheduler.Kubernetes.Ledger;
using Scheduler.Kubernetes.Tests.Fakes;

namespace Scheduler.Kubernetes.Tests.Ledger;

public class V1PodLedgerConversionTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 24, 0, 0, 0, TimeSpan.Zero);
    private static readonly string[] Gpus = ["nvidia.com/gpu", "amd.com/gpu"];

    [Fact]
    public void ToWorkloadPod_FinishedPod_SumsItsContainersRequestsAndTakesItsTimes()
    {
        var pod = TestPods.Pod("ml", "train-x7k2p");
        pod.Spec.Containers.Add(new V1Container
        {
            Name = "sidecar",
            Image = "ghcr.io/example/sidecar:1.0",
            Resources = new V1ResourceRequirements
            {
                Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("500m") },
                Limits = new Dictionary<string, ResourceQuantity> { ["nvidia.com/gpu"] = new("2") },
            },
        });
        pod.Spec.InitContainers = [new V1Container { Name = "fetch", Image = "busybox", Resources = new V1ResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("4") } } }];
        LedgerPods.Ran(pod, "gpu-1", T0, T0.AddHours(1));

        var measured = pod.ToWorkloadPod(Gpus);

        Assert.Equal(new WorkloadPod("train-x7k2p", "gpu-1", 1.5, 2, T0, T0.AddHours(1)), measured);
    }

    [Fact]
    public void ToWorkloadPod_WithoutStartTime_StartsAtItsEarliestContainerAndHasNoEndWhileOneRuns()
    {
        var pod = TestPods.Pod("ml", "render");
        LedgerPods.Ran(pod, "de-1", T0, T0.AddHours(1));
        pod.Status.StartTime = null;
        pod.Status.ContainerStatuses.Add(new V1ContainerStatus
        {
            Name = "logs",
            Image = "busybox",
            ImageID = "docker.io/library/busybox@sha256:0f1e",
            Ready = true,
            RestartCount = 0,
            State = new V1ContainerState { Running = new V1ContainerStateRunning { StartedAt = T0.AddSeconds(1).UtcDateTime } },
        });

        var measured = pod.ToWorkloadPod(Gpus);

        Assert.Equal((T0.AddSeconds(1), (DateTimeOffset?)null), (measured.Started, measured.Finished));
    }

    [Fact]
    public void ToWorkloadPod_NeverScheduled_HasNoNodeAndNoTimes()
    {
        var measured = TestPods.Pod("ml", "render").ToWorkloadPod(Gpus);

        Assert.Equal(new WorkloadPod("render", null, 1, 0, null, null), measured);
    }

    [Fact]
    public void ToLedgerSubject_FailedBarePod_EndsFailedAtItsContainersEndAsItsOwnPod()
    {
        var pod = TestPods.Pod("ml", "render");
        pod.Metadata.Uid = "0d5e2c1a-7b3f-4e9d-8a6c-5f4e3d2c1b0a";
        pod.Metadata.CreationTimestamp = T0.UtcDateTime;
        pod.Metadata.Labels = new Dictionary<string, string> { ["team"] = "vision" };
        LedgerPods.Ran(pod, "fr-1", T0.AddMinutes(5), T0.AddMinutes(50), exitCode: 137);

        var subject = pod.ToLedgerSubject(Gpus);

        Assert.Equal(("Pod", "fr-1", T0), (subject.KindName, subject.Node, subject.Created));
        Assert.Equal(("failed", (DateTimeOffset?)T0.AddMinutes(50), (DateTimeOffset?)T0.AddMinutes(5)), (subject.Ending!.Outcome, subject.Ending.At, subject.Ending.Started));
        Assert.Equal("render", Assert.Single(subject.Ending.Pods!).Name);
    }

    [Fact]
    public void ToLedgerSubject_FailedJob_EndsAtItsFailedConditionNotItsCompletionTime()
    {
        var job = TestJobs.Job("ml", "train");
        job.Metadata.Uid = "7f3c9a2e-1b4d-4c8e-9f6a-2d1e0c9b8a7f";
        job.Status = new V1JobStatus
        {
            StartTime = T0.UtcDateTime,
            Failed = 1,
            Conditions =
            [
                new V1JobCondition { Type = "FailureTarget", Status = "True", Reason = "BackoffLimitExceeded", LastTransitionTime = T0.AddMinutes(40).UtcDateTime },
                new V1JobCondition { Type = "Failed", Status = "True", Reason = "BackoffLimitExceeded", LastTransitionTime = T0.AddMinutes(41).UtcDateTime },
            ],
        };

        var subject = job.ToLedgerSubject();

        Assert.Equal(new LedgerEnding("failed", T0.AddMinutes(41), T0, null), subject.Ending);
        Assert.Null(subject.Node);
    }

    [Fact]
    public void ToLedgerSubject_RunningJob_HasNoEnding() =>
        Assert.Null(TestJobs.Job("ml", "train").ToLedgerSubject().Ending);

    [Theory]
    [InlineData("FR", "DE,FR", "DE", "FR")]
    [InlineData(null, "FR", "DE", "FR")]
    [InlineData(null, "DE,FR", "FR", "FR")]
    [InlineData(null, "DE,FR", null, "DE")]
    [InlineData(null, "", "FR", "FR")]
    [InlineData(null, "", null, null)]
    public void RunZone_PlannedThenOnlyCandidateThenNodeThenFirstCandidate(string? planned, string zones, string? nodeZone, string? expected) =>
        Assert.Equal(expected, DeferralLedger.RunZone(planned, zones.Split(',', StringSplitOptions.RemoveEmptyEntries), nodeZone));

    [Fact]
    public void BelongsTo_PodOfAnotherJobOfTheSameName_IsNot()
    {
        var pod = TestPods.Pod("ml", "train-old4q");
        pod.Metadata.Labels = new Dictionary<string, string> { [JobPods.JobNameLabel] = "train", [JobPods.ControllerUidLabel] = "old" };

        Assert.False(JobPods.BelongsTo(pod, "new"));
        Assert.True(JobPods.BelongsTo(pod, "old"));
    }
}
