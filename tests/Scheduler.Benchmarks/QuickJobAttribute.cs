using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Jobs;

namespace Scheduler.Benchmarks;

/// <summary>
/// A short job, like <c>[ShortRunJob]</c> but with 10 measured iterations instead of 3: on a shared
/// 2-core machine three iterations gave confidence intervals wider than the means, while the whole
/// suite still runs in a few minutes.
/// </summary>
/// <param name="serverGc">
/// Run with the server GC, as the extender runs (the Web SDK's default), rather than the workstation
/// GC a console benchmark gets by default.
/// </param>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true)]
public sealed class QuickJobAttribute(bool serverGc = false) : JobConfigBaseAttribute(
    Job.Default
        .WithLaunchCount(1)
        .WithWarmupCount(3)
        .WithIterationCount(10)
        .WithGcServer(serverGc)
        .WithId(serverGc ? "Quick-ServerGC" : "Quick"))
{
    /// <summary>Whether the job uses the server GC.</summary>
    public bool ServerGc { get; } = serverGc;
}
