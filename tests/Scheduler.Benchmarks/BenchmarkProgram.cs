using System.Globalization;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;
using Scheduler.Benchmarks.Deferral;
using Scheduler.Benchmarks.KeplerRefresh;
using Scheduler.Benchmarks.Ledger;
using Scheduler.Benchmarks.Simulation;

namespace Scheduler.Benchmarks;

/// <summary>
/// Runs the benchmarks (BenchmarkDotNet's command line, e.g. <c>--filter '*'</c>), or with
/// <c>--describe</c> prints the workload they measure, with <c>kepler-refresh</c> measures a Kepler
/// refresh against a real Prometheus, with <c>simulate</c> replays 100,000 jobs through every policy, or
/// with <c>deferral-replan</c> plans and re-plans 10,000 held Jobs through the controller, or with
/// <c>ledger-report</c> makes the savings report over a million-Job ledger in a real PostgreSQL.
/// </summary>
internal static class BenchmarkProgram
{
    public static async Task<int> Main(string[] args)
    {
        switch (args)
        {
            case ["--describe"]:
                WorkloadDescription.Print();
                return 0;
            case [KeplerRefreshBenchmark.Command, .. var options]:
                return await KeplerRefreshBenchmark.RunAsync(options);
            case [SimulationBenchmark.Command, .. var options]:
                return await SimulationBenchmark.RunAsync(options);
            case [DeferralReplanBenchmark.Command, .. var options]:
                return await DeferralReplanBenchmark.RunAsync(options);
            case [LedgerReportBenchmark.Command, .. var options]:
                return await LedgerReportBenchmark.RunAsync(options);
            case [KeplerExporterFarm.Command, var nodes, var seed]:
                // The child process of kepler-refresh that serves the live exporters.
                return await KeplerExporterFarm.RunAsync(int.Parse(nodes, CultureInfo.InvariantCulture), int.Parse(seed, CultureInfo.InvariantCulture));
        }

        // One summary for the whole run: the three classes are read together in docs/benchmarks.md.
        var config = DefaultConfig.Instance.WithOptions(ConfigOptions.JoinSummary);
        BenchmarkSwitcher.FromAssembly(typeof(BenchmarkProgram).Assembly).Run(args, config);
        return 0;
    }
}
