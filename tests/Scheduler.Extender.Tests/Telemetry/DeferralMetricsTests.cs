using System.Diagnostics;
using Scheduler.Core.Annotations;
using Scheduler.Extender.Tests.Fixtures;
using Scheduler.Kubernetes.Tests.Fakes;

namespace Scheduler.Extender.Tests.Telemetry;

/// <summary>
/// <c>carbon_deferral_*</c> as scraped from <c>GET /metrics</c> of the real extender, whose deferral controller
/// decides on Jobs of the fake Kubernetes API from forecast files.
/// </summary>
public class DeferralMetricsTests
{
    private const string SlackCount = "carbon_deferral_slack_seconds_count";
    private const string SlackSum = "carbon_deferral_slack_seconds_sum";

    [Fact]
    public async Task Scrape_HeldJobThenReleased_CountsDecisionsJobsByStateAndSlack()
    {
        await using var cluster = await DeferralCluster.StartAsync();

        // Due twelve hours after the clean DE hours (six and seven hours from now): planned at six hours, and at
        // most 18 h - 2 h - 30 min = 15.5 h from now.
        var job = cluster.AddHeldJob("train", deadlineIn: TimeSpan.FromHours(18), duration: "2h");

        var held = await cluster.ScrapeUntilAsync(m => m.Value(Decisions("hold")) >= 1, "the hold is counted");
        Assert.Equal("2026-01-15T00:00:00Z", cluster.Annotation(job, CarbonAnnotations.PlannedStart));
        Assert.Equal("2026-01-15T09:30:00Z", cluster.Annotation(job, CarbonAnnotations.LatestStart));
        Assert.Equal(1, held.Value(Decisions("hold")));
        Assert.Null(held.Value(Decisions("release")));
        Assert.Equal(1, held.Value(Jobs("held")));
        Assert.Equal(0, held.Value(Jobs("released")));
        Assert.Equal(1, held.Value(SlackCount));
        Assert.Equal(15.5 * 3600, held.Value(SlackSum));
        Assert.Equal(0, held.Value(SlackBucket("43200")));
        Assert.Equal(1, held.Value(SlackBucket("86400")));

        // The planned start: the in-process wake-up fires and the Job is let run.
        cluster.Time.SetUtcNow(ExtenderServer.Now.AddHours(6));

        var released = await cluster.ScrapeUntilAsync(
            m => m.Value(Decisions("release")) >= 1 && m.Value(Jobs("released")) == 1,
            "the release is counted and the watch sees the Job released");
        Assert.False(cluster.Job(job).Spec.Suspend);
        Assert.Equal(1, released.Value(Decisions("release")));
        Assert.Equal(1, released.Value(Decisions("hold")));
        Assert.Equal(0, released.Value(Jobs("held")));
        Assert.Equal(1, released.Value(Jobs("released")));

        // A release leaves nothing waiting: no slack observed.
        Assert.Equal(1, released.Value(SlackCount));
        Assert.Equal(15.5 * 3600, released.Value(SlackSum));
    }

    [Fact]
    public async Task Scrape_ReplicaLostTheLease_CountsNoJobs()
    {
        // Regression: a replica that stopped leading kept exporting its last watch's counts, so the Jobs were
        // counted twice across replicas (and by a replica that no longer sees them change).
        await using var cluster = await DeferralCluster.StartAsync();
        cluster.AddHeldJob("train", deadlineIn: TimeSpan.FromHours(18), duration: "2h");
        await cluster.ScrapeUntilAsync(m => m.Value(Jobs("held")) == 1, "the leader's watch counts the held Job");
        Assert.True(cluster.Host.IsLeader);

        // The API server refuses every Lease request from now on: the replica cannot renew and stops leading, but runs on.
        foreach (var kind in new[] { ApiRequestKind.LeaseGet, ApiRequestKind.LeaseReplace, ApiRequestKind.LeaseCreate })
        {
            cluster.Api.FailNextRequests(kind, times: 10_000);
        }

        var waited = Stopwatch.StartNew();
        while (cluster.Host.IsLeader)
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(20), "the replica still leads 20 s after its Lease became unreachable");
            await Task.Delay(TimeSpan.FromMilliseconds(50));
        }

        var scrape = await cluster.ScrapeAsync();
        Assert.Equal(0, scrape.Value(Jobs("held")));
        Assert.Equal(0, scrape.Value(Jobs("released")));
        Assert.Equal(1, scrape.Value(Decisions("hold")));
    }

    private static string Decisions(string action) => $"carbon_deferral_decisions_total{{action=\"{action}\"}}";

    private static string Jobs(string state) => $"carbon_deferral_jobs{{state=\"{state}\"}}";

    private static string SlackBucket(string le) => $"carbon_deferral_slack_seconds_bucket{{le=\"{le}\"}}";
}
