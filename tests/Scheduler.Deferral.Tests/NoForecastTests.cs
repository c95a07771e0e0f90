using System.Net.Http.Json;
using System.Text.Json;
using Scheduler.Core.Annotations;
using Scheduler.Deferral.Tests.Support;
using Scheduler.Kubernetes.Tests.Support;
using Scheduler.Tests.Postgres;
using Xunit.Abstractions;
using static Scheduler.Deferral.Tests.Support.DeferralScenario;

namespace Scheduler.Deferral.Tests;

/// <summary>
/// Every forecast gone after the Jobs were planned: the service is restarted with forecast files that hold nothing,
/// and the zones have no built-in profile to fall back on, so it has no forecast at all. The plans written on the
/// Jobs still hold: each is released at its planned start, and no later than its latest safe start, including
/// Jobs whose cleanest start is their latest one. A Job that arrives now cannot be planned, and runs at once.
/// </summary>
public class NoForecastTests(PostgresFixture postgres, ITestOutputHelper output) : IClassFixture<PostgresFixture>
{
    [Fact]
    public async Task Service_RestartedWithNoForecastAtAll_ReleasesEveryPlannedJobByItsLatestStart()
    {
        await using var scenario = await DeferralScenario.CreateAsync(postgres.Server, output);
        var clean = StepAtOrAfter(DateTimeOffset.UtcNow + Timeline.CleanSlotAhead);
        scenario.WriteForecast(ZoneA, at => at >= clean && at < clean + Timeline.Run ? 50 : 400);
        scenario.WriteForecast(ZoneB, _ => 300);
        var first = await scenario.StartServiceAsync("a");
        await scenario.WaitForLeaderAsync(Timeline.StartUp, first);

        // Slack: the latest start is 90 s after the planned one. Tight: the deadline leaves no slack after the clean
        // slot, so the planned start is the latest safe start.
        var slack = Enumerable.Range(1, 3).Select(i => scenario.AddHeldJob($"slack-{i}", clean + Timeline.Run + Timeline.Slack, Timeline.Run)).ToList();
        var tight = Enumerable.Range(1, 2).Select(i => scenario.AddHeldJob($"tight-{i}", clean + Timeline.Run, Timeline.Run)).ToList();
        var plans = await scenario.WaitForPlansAsync([.. slack, .. tight], Timeline.Planning);
        Assert.All(slack, job => Assert.Equal((clean, clean + Timeline.Slack), (plans[job].Start, plans[job].LatestStart)));
        Assert.All(tight, job => Assert.Equal((clean, clean), (plans[job].Start, plans[job].LatestStart)));
        Timeline.AssertAhead(clean, "the planned start, when the forecasts go");

        await first.KillAsync();
        scenario.EmptyForecast(ZoneA);
        scenario.EmptyForecast(ZoneB);
        scenario.Log("service a killed, forecast files emptied");
        var second = await scenario.StartServiceAsync("b");
        await scenario.WaitForLeaderAsync(Timeline.StartUp, second);
        using var client = new HttpClient { BaseAddress = second.BaseAddress };
        await EventuallyAsync.UntilAsync(async () => await HasNoForecastAsync(client), "the service has no forecast for XA or XB", scenario.Diagnostics, Timeline.Planning);

        // A Job held by the webhook now cannot be planned: it runs at once rather than wait for a forecast.
        var arrived = DateTimeOffset.UtcNow;
        var unplanned = scenario.AddHeldJob("unplanned", clean + Timeline.Run + Timeline.Slack, Timeline.Run);
        await scenario.WaitForReleasesAsync([unplanned], Timeline.Running + Timeline.Grace);
        Assert.InRange(scenario.Releases.ReleasedAt(unplanned)!.Value - arrived, TimeSpan.Zero, Timeline.Running);
        Assert.StartsWith("no carbon forecast", scenario.Annotation(unplanned, CarbonAnnotations.Reason), StringComparison.Ordinal);
        Timeline.AssertAhead(clean, "the planned start, once the service runs without forecasts");

        await scenario.WaitForReleasesAsync([.. plans.Keys], clean + Timeline.Running + Timeline.Grace - DateTimeOffset.UtcNow);
        scenario.AssertReleased(plans, _ => clean + Timeline.Running);
        scenario.AssertNoErrorsLogged();
    }

    // GET /intensity lists the configured zones once refreshed; a zone without a forecast has no source.
    private static async Task<bool> HasNoForecastAsync(HttpClient client)
    {
        using var status = await client.GetFromJsonAsync<JsonDocument>(new Uri("/intensity", UriKind.Relative));
        var zones = status!.RootElement.GetProperty("zones").EnumerateArray()
            .Where(z => z.GetProperty("zone").GetString() is ZoneA or ZoneB)
            .ToList();
        return zones.Count == 2 && zones.All(z => z.GetProperty("source").ValueKind == JsonValueKind.Null);
    }
}
