using System.Diagnostics;
using System.Globalization;

namespace Scheduler.LoadTest.Memory;

/// <summary>Reads the server's memory from its <c>/metrics</c> at a fixed interval while the load runs.</summary>
internal sealed class MemorySampler(HttpClient client, TimeSpan interval)
{
    private readonly List<MemorySample> _samples = [];
    private long _start;

    public IReadOnlyList<MemorySample> Samples => _samples;

    /// <summary>Samples now, then every interval until <paramref name="cancellationToken"/> is cancelled.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        _start = Stopwatch.GetTimestamp();
        await SampleAsync(CancellationToken.None);
        using var timer = new PeriodicTimer(interval);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                await SampleAsync(cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The run is over.
        }
    }

    /// <summary>Takes one sample (also used for the final one, after the load stopped).</summary>
    public async Task SampleAsync(CancellationToken cancellationToken)
    {
        var text = await client.GetStringAsync(new Uri("/metrics", UriKind.Relative), cancellationToken);
        var sample = new MemorySample(
            Stopwatch.GetElapsedTime(_start).TotalSeconds,
            PrometheusText.Value(text, "process_working_set_bytes"),
            PrometheusText.Value(text, "dotnet_total_memory_bytes"),
            PrometheusText.Value(text, "process_private_memory_bytes"),
            PrometheusText.Value(text, "process_cpu_seconds_total"),
            PrometheusText.Value(text, "dotnet_collection_count_total{generation=\"2\"}"),
            LoadAverage());
        lock (_samples)
        {
            _samples.Add(sample);
        }
    }

    private static double LoadAverage()
    {
        const string path = "/proc/loadavg";
        if (!File.Exists(path))
        {
            return double.NaN;
        }

        var first = File.ReadAllText(path).Split(' ')[0];
        return double.TryParse(first, NumberStyles.Float, CultureInfo.InvariantCulture, out var load) ? load : double.NaN;
    }
}
