using System.Diagnostics;
using System.Globalization;

namespace Scheduler.Benchmarks.KeplerRefresh;

/// <summary>What one run of a step cost.</summary>
/// <param name="Wall">Wall time.</param>
/// <param name="AllocatedBytes">Managed bytes allocated (all threads) during the step.</param>
/// <param name="HeapBefore">The managed heap after a full collection, just before the step.</param>
/// <param name="HeapPeak">The largest managed heap seen during the step (sampled about every millisecond).</param>
/// <param name="HeapAfter">The managed heap after a full collection just after the step: what it left alive, its result included.</param>
/// <param name="WorkingSetBefore">The process' resident set just before the step.</param>
/// <param name="WorkingSetPeak">The process' peak resident set during the step (the kernel's high-water mark, reset before it).</param>
/// <param name="Cpu">This process' CPU time during the step.</param>
/// <param name="PrometheusCpu">Prometheus' CPU time during the step, when it could be read.</param>
/// <param name="GcPause">Time the runtime was paused for collections.</param>
/// <param name="Gen2Collections">Full collections during the step.</param>
/// <param name="Requests">Prometheus requests sent.</param>
/// <param name="ResponseBytes">The bytes of Prometheus' answers.</param>
/// <param name="WaitingOnPrometheus">Wall time during which at least one request was waiting for (or receiving) its answer.</param>
/// <param name="SlowestRequest">The longest time to an answer's last byte.</param>
internal sealed record StepSample(
    TimeSpan Wall,
    long AllocatedBytes,
    long HeapBefore,
    long HeapPeak,
    long HeapAfter,
    long WorkingSetBefore,
    long WorkingSetPeak,
    TimeSpan Cpu,
    TimeSpan? PrometheusCpu,
    TimeSpan GcPause,
    int Gen2Collections,
    int Requests,
    long ResponseBytes,
    TimeSpan WaitingOnPrometheus,
    TimeSpan SlowestRequest);

/// <summary>
/// Runs a step once and measures it: wall and CPU time, managed allocations, the managed heap's and the resident
/// set's peaks, collections, and the Prometheus requests it made (through a <see cref="PrometheusMeter"/>).
/// </summary>
internal static class StepMeter
{
    /// <summary>Runs <paramref name="step"/> after a full collection and measures it.</summary>
    public static async Task<(T Result, StepSample Sample)> MeasureAsync<T>(Func<Task<T>> step, PrometheusMeter? meter, int? prometheusPid)
    {
        ArgumentNullException.ThrowIfNull(step);

        // Start from a collected heap, so the peaks are the step's and not the garbage of the one before.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var self = Environment.ProcessId;
        var heapBefore = GC.GetTotalMemory(false);
        ProcFs.ResetPeakResident(self);
        var workingSetBefore = ProcFs.StatusBytes(self, "VmRSS") ?? 0;
        var prometheusBefore = prometheusPid is { } pid ? ProcFs.CpuTime(pid) : null;
        var mark = meter?.Count ?? 0;
        var gen2Before = GC.CollectionCount(2);
        var pauseBefore = GC.GetTotalPauseDuration();
        using var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);

        using var sampler = new HeapSampler();
        var started = Stopwatch.GetTimestamp();
        var result = await step();
        var wall = Stopwatch.GetElapsedTime(started);
        var heapPeak = sampler.Stop();

        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        process.Refresh();
        var cpu = process.TotalProcessorTime - cpuBefore;
        var prometheusAfter = prometheusPid is { } p ? ProcFs.CpuTime(p) : null;
        var gen2 = GC.CollectionCount(2) - gen2Before;
        var pause = GC.GetTotalPauseDuration() - pauseBefore;
        var workingSetPeak = ProcFs.StatusBytes(self, "VmHWM") ?? 0;
        heapPeak = Math.Max(heapPeak, GC.GetTotalMemory(false));
        var requests = meter?.Since(mark) ?? [];

        // Only now, so that these collections are not counted as the step's.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var sample = new StepSample(
            wall,
            allocated,
            heapBefore,
            heapPeak,
            GC.GetTotalMemory(false),
            workingSetBefore,
            workingSetPeak,
            cpu,
            prometheusAfter - prometheusBefore,
            pause,
            gen2,
            requests.Count,
            requests.Sum(r => r.Bytes),
            Outstanding(requests),
            requests.Count == 0 ? TimeSpan.Zero : requests.Max(r => r.Duration));
        return (result, sample);
    }

    // The union of the requests' intervals: time in which the step was waiting on Prometheus for something.
    private static TimeSpan Outstanding(IReadOnlyList<MeteredRequest> requests)
    {
        var total = TimeSpan.Zero;
        long? from = null, to = null;
        foreach (var request in requests.OrderBy(r => r.Started))
        {
            if (to is { } end && request.Started <= end)
            {
                to = Math.Max(end, request.Ended);
                continue;
            }

            if (from is { } start && to is { } stop)
            {
                total += Stopwatch.GetElapsedTime(start, stop);
            }

            (from, to) = (request.Started, request.Ended);
        }

        if (from is { } lastStart && to is { } lastEnd)
        {
            total += Stopwatch.GetElapsedTime(lastStart, lastEnd);
        }

        return total;
    }

    /// <summary>Polls the managed heap's size on its own thread until stopped, keeping the largest.</summary>
    private sealed class HeapSampler : IDisposable
    {
        private readonly Thread _thread;
        private volatile bool _stop;
        private long _peak;

        public HeapSampler()
        {
            _peak = GC.GetTotalMemory(false);
            _thread = new Thread(Run) { IsBackground = true, Name = "heap sampler" };
            _thread.Start();
        }

        public long Stop()
        {
            _stop = true;
            _thread.Join();
            return Interlocked.Read(ref _peak);
        }

        public void Dispose()
        {
            if (!_stop)
            {
                Stop();
            }
        }

        private void Run()
        {
            while (!_stop)
            {
                var size = GC.GetTotalMemory(false);
                if (size > Interlocked.Read(ref _peak))
                {
                    Interlocked.Exchange(ref _peak, size);
                }

                Thread.Sleep(1);
            }
        }
    }
}

/// <summary>Reads a process' memory and CPU time from Linux' <c>/proc</c>; every read is <c>null</c> elsewhere or on failure.</summary>
internal static class ProcFs
{
    // USER_HZ, the unit of the CPU times in /proc/<pid>/stat: 100 on every Linux the runtime supports.
    private const double TicksPerSecond = 100;

    /// <summary>A <c>/proc/&lt;pid&gt;/status</c> field given in kB (e.g. <c>VmRSS</c>, <c>VmHWM</c>), in bytes.</summary>
    public static long? StatusBytes(int pid, string field)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith(field + ":", StringComparison.Ordinal))
                {
                    var kb = line[(field.Length + 1)..].Trim().Split(' ')[0];
                    return long.Parse(kb, CultureInfo.InvariantCulture) * 1024;
                }
            }
        }
        catch (IOException)
        {
            // The process is gone.
        }

        return null;
    }

    /// <summary>Resets the process' peak resident set (<c>VmHWM</c>) to its current one.</summary>
    public static void ResetPeakResident(int pid)
    {
        try
        {
            File.WriteAllText($"/proc/{pid}/clear_refs", "5");
        }
        catch (IOException)
        {
            // Not Linux, or not allowed: the peak is then the process' since it started.
        }
        catch (UnauthorizedAccessException)
        {
            // As above.
        }
    }

    /// <summary>The process' user plus system CPU time.</summary>
    public static TimeSpan? CpuTime(int pid)
    {
        var fields = StatFields(pid);
        return fields is null
            ? null
            : TimeSpan.FromSeconds((long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / TicksPerSecond);
    }

    /// <summary>The id of this process' child named <paramref name="name"/>, if it has one.</summary>
    public static int? ChildNamed(string name)
    {
        var self = Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            try
            {
                var stat = File.ReadAllText(Path.Combine(directory, "stat"));
                var open = stat.IndexOf('(', StringComparison.Ordinal);
                var close = stat.LastIndexOf(')');
                if (stat[(open + 1)..close] == name && StatFields(pid) is { } fields && fields[1] == self)
                {
                    return pid;
                }
            }
            catch (IOException)
            {
                // Gone while listed.
            }
        }

        return null;
    }

    // The fields after the command name: state, ppid, ... (so utime is [11] and stime [12]).
    private static string[]? StatFields(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        }
        catch (IOException)
        {
            return null;
        }
    }
}
