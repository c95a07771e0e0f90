using System.Net.Http.Json;
using System.Text.Json;
using Scheduler.Core.Annotations;
using Scheduler.Deferral.Tests.Support;
using Scheduler.Kubernetes.Nodes;
using Scheduler.Kubernetes.Tests.Support;
using Scheduler.Tests.Postgres;
using Xunit.Abstractions;
using static Scheduler.Deferral.Tests.Support.DeferralScenario;

namespace Scheduler.Deferral.Tests;

/// <summary>
/// Carbon-intensity providers failing as they do (500, 429 with a long Retry-After, a body that is not their
/// format, a connection that never answers), one fault per zone, each zone served by its own Electricity Maps API:
/// from the service's start, so that the zones have no forecast at all; or from while Jobs are held, so that the
/// last good forecast stands. Every Job is still planned without waiting for a provider, released exactly once at
/// its planned start (or at once when it cannot be planned) and by its latest safe start, and the service stays live.
/// </summary>
public class ProviderFaultTests(PostgresFixture postgres, ITestOutputHelper output) : IClassFixture<PostgresFixture>
{
    // The faulty zones, besides XB (a forecast file): XA has two nodes, the others one each.
    private static readonly (string Zone, ProviderFault Fault)[] Faults =
    [
        (ZoneA, ProviderFault.ServerError),
        ("XC", ProviderFault.RateLimited),
        ("XD", ProviderFault.Garbage),
        ("XE", ProviderFault.Hanging),
    ];

    // Time for the faults to be met (one refresh, every 10 s) and new Jobs planned before the planned start.
    private static readonly TimeSpan FaultLead = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task Providers_FailingFromTheStart_JobsArePlannedOnTheZonesWithAForecastOrRunAtOnce()
    {
        await using var scenario = await DeferralScenario.CreateAsync(postgres.Server, output);
        var providers = await StartProvidersAsync(scenario);
        await using var stop = new AsyncDisposables(providers);
        foreach (var (provider, fault) in providers.Zip(Faults.Select(f => f.Fault)))
        {
            provider.Fail(fault);
        }

        var clean = StepAtOrAfter(DateTimeOffset.UtcNow + Timeline.CleanSlotAhead + FaultLead);
        scenario.WriteForecast(ZoneB, at => at >= clean && at < clean + Timeline.Run ? 50 : 300);
        var service = await scenario.StartServiceAsync("a");
        await scenario.WaitForLeaderAsync(Timeline.StartUp, service);
        await using var health = new HealthWatch(service.BaseAddress);
        using var client = new HttpClient { BaseAddress = service.BaseAddress };
        await Eventually.UntilAsync(() => providers.All(p => p.FaultedRequests > 0), "every provider was asked and failed", scenario.Diagnostics, Timeline.Planning);

        // A Job that may also run in XB goes to XB's clean slot; one kept to its failing zone cannot be planned and
        // runs at once, without waiting for the provider (the hanging one included).
        var either = providers.Select(p => scenario.AddHeldJob($"either-{p.Zone.ToLowerInvariant()}", clean + Timeline.Run + Timeline.Slack, Timeline.Run, zones: $"{p.Zone},{ZoneB}")).ToList();
        var arrived = DateTimeOffset.UtcNow;
        var only = providers.Select(p => scenario.AddHeldJob($"only-{p.Zone.ToLowerInvariant()}", clean + Timeline.Run + Timeline.Slack, Timeline.Run, zones: p.Zone)).ToList();
        var plans = await scenario.WaitForPlansAsync(either, Timeline.Planning);
        Assert.All(plans.Values, plan => Assert.Equal((clean, ZoneB), (plan.Start, plan.Zone)));
        await scenario.WaitForReleasesAsync(only, Timeline.Running + Timeline.Grace);
        foreach (var job in only)
        {
            var delay = scenario.Releases.ReleasedAt(job)!.Value - arrived;
            scenario.Log($"{job}: released {delay.TotalSeconds:0.000} s after it was created");
            Assert.InRange(delay, TimeSpan.Zero, Timeline.Running);
            Assert.StartsWith("no carbon forecast", scenario.Annotation(job, CarbonAnnotations.Reason), StringComparison.Ordinal);
            Assert.Equal(1, scenario.ReleasedEvents(job));
        }

        Timeline.AssertAhead(clean, "the planned start, once the Jobs are planned");

        // The zones whose provider answered at once are listed without a forecast; XA's retries and XE's timeouts
        // may still be running, and their Jobs ran at once all the same.
        var status = await ZoneStatusAsync(client);
        Assert.Equal((null, "RateLimited"), (status["XC"].Source, status["XC"].LastError));
        Assert.Equal((null, "Malformed"), (status["XD"].Source, status["XD"].LastError));

        await scenario.WaitForReleasesAsync(either, clean + Timeline.Running + Timeline.Grace - DateTimeOffset.UtcNow);
        scenario.AssertReleased(plans, _ => clean + Timeline.Running);
        scenario.Log($"/healthz asked {health.Probes} times; faulted provider requests: {string.Join(", ", providers.Select(p => $"{p.Zone} {p.FaultedRequests}"))}");
        Assert.True(health.Probes > 0);
        Assert.Empty(health.Failures);
        scenario.AssertNoErrorsLogged();
    }

    [Fact]
    public async Task Providers_FailingWhileJobsAreHeld_LastGoodForecastStandsAndEveryJobIsReleasedOnTime()
    {
        await using var scenario = await DeferralScenario.CreateAsync(postgres.Server, output);
        var providers = await StartProvidersAsync(scenario);
        await using var stop = new AsyncDisposables(providers);
        var clean = StepAtOrAfter(DateTimeOffset.UtcNow + Timeline.CleanSlotAhead + FaultLead);
        foreach (var provider in providers)
        {
            provider.SetForecast(at => at >= clean && at < clean + Timeline.Run ? 50 : 400);
        }

        scenario.WriteForecast(ZoneB, _ => 300);
        var service = await scenario.StartServiceAsync("a");
        await scenario.WaitForLeaderAsync(Timeline.StartUp, service);
        await using var health = new HealthWatch(service.BaseAddress);
        using var client = new HttpClient { BaseAddress = service.BaseAddress };
        await EventuallyAsync.UntilAsync(
            async () => (await ZoneStatusAsync(client)) is var zones && providers.All(p => zones.GetValueOrDefault(p.Zone)?.Origin == "Fresh"),
            "every provider's forecast is in",
            scenario.Diagnostics,
            Timeline.Planning);

        var held = providers.SelectMany(p => Enumerable.Range(1, 2).Select(i => scenario.AddHeldJob($"held-{p.Zone.ToLowerInvariant()}-{i}", clean + Timeline.Run + Timeline.Slack, Timeline.Run, zones: p.Zone))).ToList();
        var plans = await scenario.WaitForPlansAsync(held, Timeline.Planning);
        Assert.All(held, job => Assert.Equal((clean, ZoneOf(job)), (plans[job].Start, plans[job].Zone)));

        foreach (var (provider, fault) in providers.Zip(Faults.Select(f => f.Fault)))
        {
            provider.Fail(fault);
        }

        scenario.Log("providers failing: " + string.Join(", ", Faults.Select(f => $"{f.Zone} {f.Fault}")));
        await Eventually.UntilAsync(() => providers.All(p => p.FaultedRequests > 0), "every provider was asked while failing", scenario.Diagnostics, Timeline.Planning);

        // Jobs that arrive while every provider fails are planned on the last good forecasts, as the held ones stay.
        var late = providers.Select(p => scenario.AddHeldJob($"late-{p.Zone.ToLowerInvariant()}", clean + Timeline.Run + Timeline.Slack, Timeline.Run, zones: p.Zone)).ToList();
        var latePlans = await scenario.WaitForPlansAsync(late, Timeline.Planning);
        Assert.All(late, job => Assert.Equal((clean, ZoneOf(job)), (latePlans[job].Start, latePlans[job].Zone)));
        Timeline.AssertAhead(clean, "the planned start, once the providers fail");
        var status = await ZoneStatusAsync(client);
        Assert.Equal(("Stale", "RateLimited"), (status["XC"].Origin, status["XC"].LastError));
        Assert.Equal(("Stale", "Malformed"), (status["XD"].Origin, status["XD"].LastError));

        var all = plans.Concat(latePlans).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        await scenario.WaitForReleasesAsync([.. all.Keys], clean + Timeline.Running + Timeline.Grace - DateTimeOffset.UtcNow);
        scenario.AssertReleased(all, _ => clean + Timeline.Running);
        scenario.Log($"/healthz asked {health.Probes} times; faulted provider requests: {string.Join(", ", providers.Select(p => $"{p.Zone} {p.FaultedRequests}"))}");
        Assert.True(health.Probes > 0);
        Assert.Empty(health.Failures);
        scenario.AssertNoErrorsLogged();
    }

    private static string ZoneOf(string job) => job.Split('-')[1].ToUpperInvariant();

    private static async Task<List<FaultyProvider>> StartProvidersAsync(DeferralScenario scenario)
    {
        scenario.Api.AddNodes([.. Faults.Skip(1).Select(f => TestNodes.Node($"{f.Zone.ToLowerInvariant()}-1", new Dictionary<string, string> { [NodeLabels.GridZone] = f.Zone }))]);
        var providers = new List<FaultyProvider>();
        foreach (var (zone, _) in Faults)
        {
            var provider = await FaultyProvider.StartAsync(zone);
            providers.Add(provider);
            scenario.UseElectricityMaps(zone, provider.Url, FaultyProvider.Token);
        }

        return providers;
    }

    // GET /intensity: each zone's origin (Fresh, Stale...), forecast source and last provider error.
    private static async Task<Dictionary<string, ZoneState>> ZoneStatusAsync(HttpClient client)
    {
        using var status = await client.GetFromJsonAsync<JsonDocument>(new Uri("/intensity", UriKind.Relative));
        return status!.RootElement.GetProperty("zones").EnumerateArray().ToDictionary(
            z => z.GetProperty("zone").GetString()!,
            z => new ZoneState(z.GetProperty("origin").GetString(), z.GetProperty("source").GetString(), z.GetProperty("lastError").GetString()),
            StringComparer.Ordinal);
    }

    private sealed record ZoneState(string? Origin, string? Source, string? LastError);

    private sealed class AsyncDisposables(IEnumerable<IAsyncDisposable> items) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            foreach (var item in items)
            {
                await item.DisposeAsync();
            }
        }
    }
}
