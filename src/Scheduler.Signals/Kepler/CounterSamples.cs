using Scheduler.Core.Power;
using Scheduler.Signals.Prometheus;

namespace Scheduler.Signals.Kepler;

/// <summary>Raw Prometheus samples as counter readings.</summary>
internal static class CounterSamples
{
    /// <summary>
    /// The samples of several series of one counter (a pod's running and terminated series) as one
    /// time-ordered list; where two share a timestamp the larger is kept, since the counter only grows.
    /// </summary>
    public static CounterSample[] Merge(IEnumerable<PromSeries> series)
    {
        var samples = series.SelectMany(s => s.Points).Select(p => new CounterSample(p.At, p.Value)).ToList();
        samples.Sort((a, b) => a.At != b.At ? a.At.CompareTo(b.At) : a.Joules.CompareTo(b.Joules));
        var merged = new List<CounterSample>(samples.Count);
        foreach (var sample in samples)
        {
            if (merged.Count > 0 && merged[^1].At == sample.At)
            {
                merged[^1] = sample;
            }
            else
            {
                merged.Add(sample);
            }
        }

        return merged.ToArray();
    }
}
