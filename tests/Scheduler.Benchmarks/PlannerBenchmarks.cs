using BenchmarkDotNet.Attributes;
using Scheduler.Core.Intensity;
using Scheduler.Core.Planning;

namespace Scheduler.Benchmarks;

/// <summary>
/// The best window of an 8 h job in a 72 h forecast at 5-minute steps (864 points): the O(n)
/// planner against the O(n x D) reference that averages every window from scratch.
/// </summary>
[MemoryDiagnoser]
[QuickJob]
public class PlannerBenchmarks
{
    private static readonly DateTimeOffset Start = new(2025, 6, 4, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Duration = TimeSpan.FromHours(8);

    private IntensitySeries _forecast = null!;

    [GlobalSetup]
    public void Setup()
    {
        // A daily cycle with noise, deterministic.
        var random = new Random(3);
        var values = Enumerable.Range(0, 864)
            .Select(i => 250 + (120 * Math.Sin(2 * Math.PI * i / 288.0)) + random.Next(-30, 30))
            .ToArray();
        _forecast = new IntensitySeries(Start, TimeSpan.FromMinutes(5), values);
    }

    [Benchmark(Baseline = true)]
    public DateTimeOffset BruteForce()
    {
        var values = _forecast.Values;
        var width = (int)(Duration / _forecast.Step);
        var best = double.PositiveInfinity;
        var bestStart = 0;
        for (var start = 0; start + width <= values.Length; start++)
        {
            var sum = 0.0;
            for (var i = start; i < start + width; i++)
            {
                sum += values[i];
            }

            if (sum < best)
            {
                best = sum;
                bestStart = start;
            }
        }

        return Start + (_forecast.Step * bestStart);
    }

    [Benchmark]
    public DateTimeOffset Planner() => WindowPlanner.FindBest(_forecast, Start, _forecast.End, Duration)!.Start;
}
