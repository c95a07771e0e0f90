using Scheduler.Core.Scoring;
using Scheduler.Extender.Wire;
using Scheduler.LoadTest.Payloads;

namespace Scheduler.Benchmarks;

/// <summary>
/// Prints what the benchmarks work on (cluster mix, score outcomes, how many nodes the cap removes,
/// payload sizes), so the report can state it from the code rather than from memory.
/// </summary>
internal static class WorkloadDescription
{
    public static void Print()
    {
        var cluster = SyntheticCluster.Create(5000);
        var fixture = new ExtenderFixture(cluster);
        Console.WriteLine(cluster.Describe());
        Console.WriteLine();

        foreach (var pod in new[] { PodShape.WebService, PodShape.GpuTraining })
        {
            var scores = fixture.Scorer.Score(fixture.DemandOf(cluster, pod), fixture.Nodes, fixture.Intensities, ExtenderFixture.Now);
            var outcomes = scores.GroupBy(s => s.Reason.Outcome).Select(g => $"{g.Key} {g.Count()}");
            var zones = scores.Where(s => s.Reason.Outcome == ScoreOutcome.Scored)
                .GroupBy(s => s.Reason.Zone)
                .Select(g => $"{g.Key} {g.Average(s => s.Reason.IntensityGramsPerKwh!.Value):0} g/kWh");
            Console.WriteLine($"Score of {pod.Name} over 5,000 nodes at {ExtenderFixture.Now:u}: {string.Join(", ", outcomes)}; mean intensity over the run: {string.Join(", ", zones)}");
        }

        foreach (var capped in new[] { false, true })
        {
            var pod = capped ? PodShape.CappedBatch : PodShape.CappedBatch with { MaxIntensity = null };
            var payload = cluster.ArgsWithNodes(pod, 5000);
            var result = fixture.Service.Filter(ExtenderArgsReader.Read(payload));
            Console.WriteLine($"Filter payload, 5,000 full nodes, max-intensity {pod.MaxIntensity?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}: {payload.Length:N0} bytes; {result.Passed.Count} pass, {result.Failed.Count} removed");
        }

        var names = cluster.ArgsWithNames(PodShape.WebService, 1000);
        Console.WriteLine($"Prioritize payload, 1,000 names: {names.Length:N0} bytes");
    }
}
