using Scheduler.Core.Planning;

namespace Scheduler.Core.Simulation;

/// <summary>
/// What each zone's cluster has in use, minute by minute. A run is admitted where it was planned if
/// there is room; otherwise each stretch starts at the first minute after its planned start from
/// which there is room for all of it (the job waits in the queue, as a released Job's pods wait for
/// free nodes), and stretches keep their order.
/// </summary>
internal sealed class CapacityTimeline(ClusterCapacity capacity, DateTimeOffset origin)
{
    private readonly Dictionary<string, Occupancy> _zones = new(StringComparer.Ordinal);
    private readonly long _resolutionTicks = ClusterCapacity.Resolution.Ticks;

    /// <summary>Fits <paramref name="run"/> of <paramref name="job"/> into the room left and takes that room.</summary>
    public JobRun Admit(SimulationJob job, JobRun run)
    {
        if (!_zones.TryGetValue(run.Zone, out var occupancy))
        {
            occupancy = new Occupancy();
            _zones[run.Zone] = occupancy;
        }

        var chunks = new List<RunChunk>(run.Chunks.Count);
        var notBefore = 0L;
        foreach (var chunk in run.Chunks)
        {
            var planned = Math.Max(MinuteOf(chunk.Start), notBefore);
            var minutes = Math.Max(1, (int)Math.Ceiling((chunk.End - chunk.Start).Ticks / (double)_resolutionTicks));
            var first = FirstFit(occupancy, planned, minutes, job.Gpus);
            occupancy.Take(first, minutes, job.Gpus);
            var start = first == MinuteOf(chunk.Start) ? chunk.Start : origin + TimeSpan.FromTicks(first * _resolutionTicks);
            chunks.Add(new RunChunk(start, start + chunk.Length));
            notBefore = first + minutes;
        }

        return run with { Chunks = chunks };
    }

    private long MinuteOf(DateTimeOffset time) => (long)Math.Floor((time - origin).Ticks / (double)_resolutionTicks);

    // The first minute from `from` on where `minutes` minutes in a row have room for one more job of `gpus`.
    private long FirstFit(Occupancy occupancy, long from, int minutes, int gpus)
    {
        var start = from;
        var minute = start;
        while (minute < start + minutes)
        {
            if (occupancy.HasRoom(minute, gpus, capacity))
            {
                minute++;
            }
            else
            {
                start = minute + 1;
                minute = start;
            }
        }

        return start;
    }

    // Jobs and GPUs in use per minute since the origin, grown as runs reach further.
    private sealed class Occupancy
    {
        private int[] _jobs = new int[1 << 16];
        private int[] _gpus = new int[1 << 16];

        public bool HasRoom(long minute, int gpus, ClusterCapacity capacity)
        {
            if (minute < 0)
            {
                throw new InvalidOperationException("A run before the capacity record's origin.");
            }

            if (minute >= _jobs.Length)
            {
                return true;
            }

            return (capacity.MaxJobs is not { } maxJobs || _jobs[minute] + 1 <= maxJobs)
                && (capacity.MaxGpus is not { } maxGpus || _gpus[minute] + gpus <= maxGpus);
        }

        public void Take(long first, int minutes, int gpus)
        {
            var end = first + minutes;
            if (end > _jobs.Length)
            {
                var length = _jobs.Length;
                while (length < end)
                {
                    length *= 2;
                }

                Array.Resize(ref _jobs, length);
                Array.Resize(ref _gpus, length);
            }

            for (var minute = first; minute < end; minute++)
            {
                _jobs[minute]++;
                _gpus[minute] += gpus;
            }
        }
    }
}
