using Scheduler.Core.Accounting;

namespace Scheduler.Kubernetes.Tests.Ledger;

/// <summary>
/// An <see cref="IJobEnergyMeter"/> that answers from a script: each call takes the next step (an energy, <c>null</c>,
/// or an exception to throw), the last step repeating; it keeps the workloads it was asked about.
/// </summary>
internal sealed class FakeEnergyMeter(params Func<FinishedWorkload, MeteredEnergy?>[] steps) : IJobEnergyMeter
{
    private readonly Lock _gate = new();
    private readonly List<FinishedWorkload> _calls = [];

    /// <summary>The workloads asked about, in order.</summary>
    public IReadOnlyList<FinishedWorkload> Calls
    {
        get
        {
            lock (_gate)
            {
                return [.. _calls];
            }
        }
    }

    /// <summary>A meter that always answers <paramref name="energy"/>.</summary>
    public static FakeEnergyMeter Always(MeteredEnergy? energy) => new(_ => energy);

    public Task<MeteredEnergy?> MeasureAsync(FinishedWorkload workload, CancellationToken cancellationToken)
    {
        int index;
        lock (_gate)
        {
            index = _calls.Count;
            _calls.Add(workload);
        }

        return Task.FromResult(steps[Math.Min(index, steps.Length - 1)](workload));
    }
}
