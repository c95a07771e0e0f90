using System.Globalization;
using System.Text;
using Scheduler.LoadTest.Load;
using Scheduler.LoadTest.Memory;

namespace Scheduler.LoadTest;

/// <summary>Formats a run as Markdown, ready to paste into <c>docs/benchmarks.md</c>.</summary>
internal static class MarkdownReport
{
    /// <summary>Working-set growth, after the warm-up share, below which memory counts as steady (MiB per minute).</summary>
    public const double SteadySlopeMibPerMinute = MemoryTrend.SteadySlopeMibPerMinute;

    /// <summary>The largest second-half over first-half peak working set that still counts as steady.</summary>
    public const double SteadyHalfRatio = MemoryTrend.SteadyHalfRatio;

    public static string Write(
        LoadTestOptions options,
        string server,
        IReadOnlyList<LoadRequest> requests,
        LoadRun run,
        IReadOnlyList<MemorySample> samples)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(requests);
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(samples);
        var text = new StringBuilder();
        void Line(string line = "") => text.Append(line).Append('\n');

        Line(Invariant($"### Load: {options.Verb.ToString().ToLowerInvariant()} at {options.Rate} req/s for {options.DurationSeconds} s, {options.Nodes} nodes as {(options.FullNodes ? "full Node objects" : "names (nodeCacheCapable)")}"));
        Line();
        Line($"- Measured: {MachineInfo.Describe()}");
        Line($"- Server: {server}");
        Line(Invariant($"- Load: open loop, fixed rate, at most {options.Concurrency} requests in flight, {options.WarmupSeconds} s unmeasured warm-up first; pods cycled: {string.Join(", ", requests.Select(r => r.Pod).Distinct())}"));
        Line($"- Request bodies: {string.Join(", ", requests.GroupBy(r => r.Verb).Select(g => Invariant($"{g.Key} {g.Average(r => r.Body.Length) / 1024:0.#} KiB")))}");
        Line(Invariant($"- Requests that waited for a free slot: {run.Throttled}; elapsed {run.Elapsed.TotalSeconds:0.0} s"));
        Line();
        Line("| verb | requests | errors | completed/s | p50 ms | p90 ms | p99 ms | p99.9 ms | max ms | p99 from schedule ms |");
        Line("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var verb in requests.Select(r => r.Verb).Distinct())
        {
            var s = LatencySummary.Of(verb, run);
            Line(Invariant($"| {verb} | {s.Count} | {s.Errors} | {s.Rate:0.0} | {s.P50:0.00} | {s.P90:0.00} | {s.P99:0.00} | {s.P999:0.00} | {s.Max:0.00} | {s.P99FromDue:0.00} |"));
        }

        foreach (var error in run.Errors)
        {
            Line($"- error: {error}");
        }

        if (samples.Count == 0)
        {
            return text.ToString();
        }

        var settle = MemoryTrend.SettleSeconds(options.DurationSeconds);
        var workingSet = MemoryTrend.Of(samples, s => s.WorkingSetBytes, settle);
        Line();
        Line(Invariant($"Server memory from its /metrics every {options.SampleSeconds} s ({samples.Count} samples; slope after the first {settle:0} s as 'settled'):"));
        Line();
        Line("| series | start MiB | end MiB | min MiB | max MiB | slope MiB/min | settled slope MiB/min | 2nd-half max / 1st-half max |");
        Line("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        TrendRow("working set (process_working_set_bytes)", workingSet);
        TrendRow("GC heap (dotnet_total_memory_bytes)", MemoryTrend.Of(samples, s => s.GcHeapBytes, settle));
        TrendRow("private bytes (process_private_memory_bytes)", MemoryTrend.Of(samples, s => s.PrivateBytes, settle));
        var first = samples[0];
        var last = samples[^1];
        var seconds = last.Seconds - first.Seconds;
        Line();
        Line(Invariant($"Server CPU: {(last.CpuSeconds - first.CpuSeconds) / seconds * 100:0}% of one core on average; gen2 collections during the run: {last.Gen2Collections - first.Gen2Collections:0}."));
        var steady = workingSet.IsSteady;
        Line(Invariant($"Memory steady: **{(steady ? "yes" : "no")}** (rule: settled working-set slope < {SteadySlopeMibPerMinute} MiB/min and 2nd-half peak <= {SteadyHalfRatio} x 1st-half peak)."));
        Line();
        Line("| t s | working set MiB | GC heap MiB | private MiB | CPU s | gen2 | machine load (1 min) |");
        Line("| ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var s in samples)
        {
            Line(Invariant($"| {s.Seconds:0} | {s.WorkingSetBytes / 1048576:0.0} | {s.GcHeapBytes / 1048576:0.0} | {s.PrivateBytes / 1048576:0.0} | {s.CpuSeconds:0.0} | {s.Gen2Collections:0} | {s.LoadAverage:0.00} |"));
        }

        return text.ToString();

        void TrendRow(string name, MemoryTrend t) =>
            Line(Invariant($"| {name} | {t.Start:0.0} | {t.End:0.0} | {t.Min:0.0} | {t.Max:0.0} | {t.SlopeMibPerMinute:0.00} | {t.SettledSlopeMibPerMinute:0.00} | {t.SecondHalfOverFirstHalf:0.000} |"));
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
