using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;

namespace Scheduler.Benchmarks;

/// <summary>
/// Runs the benchmarks (BenchmarkDotNet's command line, e.g. <c>--filter '*'</c>), or with
/// <c>--describe</c> prints the workload they measure.
/// </summary>
internal static class BenchmarkProgram
{
    public static void Main(string[] args)
    {
        if (args is ["--describe"])
        {
            WorkloadDescription.Print();
            return;
        }

        // One summary for the whole run: the three classes are read together in docs/benchmarks.md.
        var config = DefaultConfig.Instance.WithOptions(ConfigOptions.JoinSummary);
        BenchmarkSwitcher.FromAssembly(typeof(BenchmarkProgram).Assembly).Run(args, config);
    }
}
