using System.Diagnostics;
using System.Text.Json;
using k8s.Models;
using Microsoft.Extensions.DependencyInjection;
using Scheduler.Core.Annotations;
using Scheduler.Extender.Tests.Fixtures;
using Scheduler.Kubernetes.Tests.Fakes;
using Scheduler.Storage.Ledger;

namespace Scheduler.Extender.Tests.Ledger;

/// <summary>
/// The whole chain in the real service: a Job held by the controller, released at its clean window, run by a pod and
/// completed; the controller's facts, the energy estimated at completion and the provider's actual intensities reach
/// the ledger, and the savings report accounts for the Job from them.
/// </summary>
public class DeferredJobLedgerTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Report_JobHeldReleasedAndCompleted_IsAccountedWithTheSavingOfItsCleanWindow()
    {
        await using var cluster = await DeferralCluster.StartAsync();
        var ledger = cluster.Server.Services.GetRequiredService<ILedger>();

        // DE is 400 gCO2eq/kWh but 50 six and seven hours from now, FR 500 throughout: held for DE's clean hours.
        var job = cluster.AddHeldJob("train", deadlineIn: TimeSpan.FromHours(18), duration: "2h");
        await UntilAsync(() => Task.FromResult(cluster.Annotation(job, CarbonAnnotations.PlannedStart) == "2026-01-15T00:00:00Z"), "the Job is planned at DE's clean hours");

        var start = ExtenderServer.Now.AddHours(6);
        cluster.Time.SetUtcNow(start);
        await UntilAsync(() => Task.FromResult(cluster.Job(job).Spec.Suspend == false), "the Job is released at its planned start");

        // Its pod, as the Job controller, the scheduler and the kubelet leave it: on de-1, two cores, for two hours.
        var end = start.AddHours(2);
        cluster.Api.AddJobPod(DeferralCluster.Namespace, "train", podName: "train-x7k2p");
        cluster.Api.UpdatePod(DeferralCluster.Namespace, "train-x7k2p", pod => Ran(pod, "de-1", start, end));
        cluster.Time.SetUtcNow(end);
        cluster.Api.CompleteJob(DeferralCluster.Namespace, "train");
        await UntilAsync(
            async () => await ledger.FindEntryAsync(DeferralCluster.Namespace, "train", CancellationToken.None) is { Energy: not null, Completed: not null },
            "the completion with its energy is in the ledger");

        // The next intensity refresh records DE's hours six and seven, which have ended, as actuals.
        cluster.Time.Advance(TimeSpan.FromMinutes(6));
        using var report = await UntilReportAsync(cluster, r => r.GetProperty("totals").GetProperty("accounted").GetInt32() == 1);

        var entry = Assert.Single(report.RootElement.GetProperty("jobs").EnumerateArray());
        Assert.Equal("accounted", entry.GetProperty("status").GetString());
        Assert.Equal("DE", entry.GetProperty("baselineZone").GetString());
        Assert.Equal("estimated", entry.GetProperty("energySource").GetString());
        var run = Assert.Single(entry.GetProperty("runs").EnumerateArray());
        Assert.Equal(("2026-01-15T00:00:00Z", "2026-01-15T02:00:00Z", "DE"), (run.GetProperty("start").GetString(), run.GetProperty("end").GetString(), run.GetProperty("zone").GetString()));

        // Baseline: the same energy at submission in DE, the cleaner candidate then (400 against FR's 500); it ran at
        // 50. Whatever the estimated energy, 87.5 % was saved, all of it by timing.
        var kwh = entry.GetProperty("energyKwh").GetDouble();
        Assert.True(kwh > 0);
        Assert.Equal(kwh * 400, entry.GetProperty("baselineGrams").GetDouble(), 2);
        Assert.Equal(kwh * 50, entry.GetProperty("emittedGrams").GetDouble(), 2);
        Assert.Equal(87.5, entry.GetProperty("savedPercent").GetDouble(), 2);
        Assert.Equal(0, entry.GetProperty("spatialSavedGrams").GetDouble(), 2);
        Assert.Equal(50, entry.GetProperty("plannedIntensity").GetDouble(), 1);
    }

    [Fact]
    public async Task Report_JobPlacedByTheExtenderWithoutHolding_IsComparedWithWhereABlindSchedulerWouldHavePutIt()
    {
        await using var cluster = await DeferralCluster.StartAsync();
        var ledger = cluster.Server.Services.GetRequiredService<ILedger>();

        // A Job without carbon annotations for the carbon-aware scheduler: never held. It happens to run six hours
        // after its creation, on de-1, for two hours, while DE is at 50 and FR at 500.
        var job = TestJobs.Job(DeferralCluster.Namespace, "etl", suspend: false);
        job.Spec.Template.Spec.SchedulerName = "carbon-aware";
        cluster.Api.AddJob(job);
        var start = ExtenderServer.Now.AddHours(6);
        var end = start.AddHours(2);
        cluster.Time.SetUtcNow(start);
        cluster.Api.SetJobStatus(DeferralCluster.Namespace, "etl", status => status.StartTime = start.UtcDateTime);
        cluster.Api.AddJobPod(DeferralCluster.Namespace, "etl", podName: "etl-q9w4z");
        cluster.Api.UpdatePod(DeferralCluster.Namespace, "etl-q9w4z", pod => Ran(pod, "de-1", start, end));
        cluster.Time.SetUtcNow(end);
        cluster.Api.CompleteJob(DeferralCluster.Namespace, "etl");
        await UntilAsync(
            async () => await ledger.FindEntryAsync(DeferralCluster.Namespace, "etl", CancellationToken.None) is { Energy: not null, Completed: not null },
            "the finished Job with its energy is in the ledger");

        cluster.Time.Advance(TimeSpan.FromMinutes(6));
        using var report = await UntilReportAsync(cluster, r => r.GetProperty("totals").GetProperty("accounted").GetInt32() == 1);

        // Two of the three nodes that could run it are in DE: a blind scheduler would be expected to give it
        // 2/3 x 50 + 1/3 x 500 = 200 gCO2eq/kWh over its run. It got 50: 75 % saved, all of it by place.
        var entry = Assert.Single(report.RootElement.GetProperty("jobs").EnumerateArray());
        Assert.Equal("accounted", entry.GetProperty("status").GetString());
        Assert.Equal("DE 66.7%, FR 33.3%", entry.GetProperty("baselineZone").GetString());
        var kwh = entry.GetProperty("energyKwh").GetDouble();
        Assert.True(kwh > 0);
        Assert.Equal(kwh * 200, entry.GetProperty("baselineGrams").GetDouble(), 2);
        Assert.Equal(kwh * 50, entry.GetProperty("emittedGrams").GetDouble(), 2);
        Assert.Equal(0, entry.GetProperty("temporalSavedGrams").GetDouble(), 2);
        Assert.Equal(kwh * 150, entry.GetProperty("spatialSavedGrams").GetDouble(), 2);
        Assert.Equal(75, entry.GetProperty("savedPercent").GetDouble(), 2);
        Assert.Equal(1, report.RootElement.GetProperty("totals").GetProperty("placedJobs").GetInt32());
        Assert.Contains(
            report.RootElement.GetProperty("assumptions").EnumerateArray(),
            line => line.GetString()!.StartsWith("1 of 1 accounted Jobs were only placed by the extender", StringComparison.Ordinal));
    }

    private static void Ran(V1Pod pod, string node, DateTimeOffset started, DateTimeOffset finished)
    {
        pod.Spec.NodeName = node;
        pod.Status = new V1PodStatus
        {
            Phase = "Succeeded",
            StartTime = started.UtcDateTime,
            ContainerStatuses =
            [
                new V1ContainerStatus
                {
                    Name = pod.Spec.Containers[0].Name,
                    Image = pod.Spec.Containers[0].Image,
                    ImageID = pod.Spec.Containers[0].Image,
                    Ready = false,
                    RestartCount = 0,
                    State = new V1ContainerState
                    {
                        Terminated = new V1ContainerStateTerminated { ExitCode = 0, Reason = "Completed", StartedAt = started.UtcDateTime, FinishedAt = finished.UtcDateTime },
                    },
                },
            ],
        };
    }

    private static async Task<JsonDocument> UntilReportAsync(DeferralCluster cluster, Func<JsonElement, bool> condition)
    {
        var uri = new Uri("/reports/savings?format=json&from=2026-01-14T00:00:00Z&to=2026-01-16T00:00:00Z&namespace=ml", UriKind.Relative);
        var waited = Stopwatch.StartNew();
        while (true)
        {
            var report = JsonDocument.Parse(await cluster.Server.Client.GetStringAsync(uri));
            if (condition(report.RootElement))
            {
                return report;
            }

            if (waited.Elapsed > Patience)
            {
                Assert.Fail($"The report did not account for the Job within {Patience.TotalSeconds:0} s:{Environment.NewLine}{report.RootElement}");
            }

            report.Dispose();
            await Task.Delay(TimeSpan.FromMilliseconds(100));
        }
    }

    private static async Task UntilAsync(Func<Task<bool>> condition, string what)
    {
        var waited = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(waited.Elapsed < Patience, $"Not true within {Patience.TotalSeconds:0} s: {what}");
            await Task.Delay(TimeSpan.FromMilliseconds(50));
        }
    }
}
