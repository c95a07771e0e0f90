using System.Diagnostics;
using Scheduler.LoadTest.Load;

namespace Scheduler.Reliability.Tests.Support;

/// <summary>
/// Runs the fixed-rate load of <see cref="ExtenderTraffic"/> against the service while a script (a fault and its
/// recovery) runs beside it, and summarises every answer: count, failures (not 200, or breaking the contract),
/// latency percentiles from send.
/// </summary>
internal static class LoadPhase
{
    /// <summary>The load's concurrency: more than the rate times the bound, so that slots never hide a stall.</summary>
    public const int Concurrency = 64;

    /// <summary>Runs <paramref name="seconds"/> of load at <paramref name="rate"/> requests a second beside <paramref name="script"/>.</summary>
    public static async Task<(LoadFigures Load, T Result)> RunAsync<T>(ReliabilityWorld world, int rate, int seconds, Func<Task<T>> script)
    {
        ArgumentNullException.ThrowIfNull(world);
        ArgumentNullException.ThrowIfNull(script);
        // A client timeout well past the bound, so that a slow answer is measured rather than cut short.
        using var client = new HttpClient { BaseAddress = world.Service.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        var nodes = world.NodeNames;
        var load = new FixedRateLoad(client, rate, Concurrency, (request, body) => ExtenderTraffic.Check(request, body, nodes));
        var running = load.RunAsync(ExtenderTraffic.Requests(nodes), seconds, CancellationToken.None);
        T result;
        try
        {
            result = await script();
        }
        finally
        {
            // The load is always awaited, so that no request outlives the phase.
            await running;
        }

        return (LoadFigures.Of(await running), result);
    }
}

/// <summary>What a run of load saw.</summary>
/// <param name="Requests">Requests sent.</param>
/// <param name="Errors">Requests not answered 200 with a contract-valid body.</param>
/// <param name="P50">Median latency, ms.</param>
/// <param name="P99">99th percentile, ms.</param>
/// <param name="Max">Slowest answer, ms.</param>
/// <param name="Rate">Requests per second achieved.</param>
/// <param name="FirstErrors">The first few failures.</param>
internal sealed record LoadFigures(int Requests, int Errors, double P50, double P99, double Max, double Rate, IReadOnlyList<string> FirstErrors)
{
    public static LoadFigures Of(LoadRun run)
    {
        var latencies = run.Results.Select(r => (r.Done - r.Sent) * 1000.0 / Stopwatch.Frequency).Order().ToArray();
        return new LoadFigures(
            run.Results.Count,
            run.Results.Count(r => !r.Ok),
            LatencySummary.Percentile(latencies, 0.50),
            LatencySummary.Percentile(latencies, 0.99),
            latencies.Length == 0 ? double.NaN : latencies[^1],
            run.Results.Count / run.Elapsed.TotalSeconds,
            run.Errors);
    }

    public override string ToString() => FormattableString.Invariant(
        $"{Requests} requests ({Rate:0.0}/s), {Errors} errors, p50 {P50:0.0} ms, p99 {P99:0.0} ms, max {Max:0.0} ms{(FirstErrors.Count > 0 ? "; first errors: " + string.Join(" | ", FirstErrors) : string.Empty)}");
}
