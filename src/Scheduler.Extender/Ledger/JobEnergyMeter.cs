using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly.CircuitBreaker;
using Polly.Timeout;
using Scheduler.Core.Accounting;
using Scheduler.Core.Power;
using Scheduler.Core.Scoring;
using Scheduler.Kubernetes.Nodes;
using Scheduler.Signals.Hardware;
using Scheduler.Signals.Kepler;
using Scheduler.Signals.Prometheus;

namespace Scheduler.Extender.Ledger;

/// <summary>
/// Measures a finished Job's energy for the ledger: its pods' Kepler counters where Kepler saw them, else an estimate
/// from the power model of the node each pod ran on, and its share of the hardware's embodied emissions.
/// </summary>
/// <remarks>
/// <para>
/// <b>Measured.</b> With <c>Kepler:PrometheusUrl</c> set, the pods' energy is read with
/// <see cref="KeplerReader.ReadPodEnergyAsync"/> over the workload's <c>[From, To]</c> widened by
/// <c>Kepler:ReadingWindowSeconds</c> on each side, so that the sample Kepler exports when a pod ends (one scrape
/// later) is in it. Each query goes through the Kepler resilience pipeline (timeout, retries, circuit breaker), and
/// the whole read has <c>Kepler:QueryTimeoutSeconds</c> x (<c>Kepler:MaxRetryAttempts</c> + 1) (60 s by default)
/// before the pods are estimated instead.
/// </para>
/// <para>
/// <b>Estimated.</b> A pod Kepler did not see (or every pod, without Kepler or when Prometheus fails) is charged its
/// marginal power on its node as scoring computes it (<see cref="NodeScorer.MarginalWatts"/>: the node cache's power
/// profile, measured or modelled, and the pod's requested cores and GPUs), times its run time: <c>Started</c> to
/// <c>Finished</c> clipped to the workload's <c>From</c> to <c>To</c> (a missing end is the workload's). A pod whose
/// node is unknown is charged on the hardware models' <c>default</c> CPU class and GPU. A pod that requests GPUs but
/// for which Kepler reports no GPU energy (Kepler before 0.11.4, or without its experimental GPU support) has its GPU
/// part estimated the same way.
/// </para>
/// <para>
/// <see cref="JobEnergy"/> has one source for the whole Job: it is <see cref="EnergySource.Measured"/> only when every
/// pod's CPU and GPU energy was read whole from Kepler's counters. A Job with some pods measured and some estimated,
/// or with a counter gap that the reader filled (a Kepler restart, a dropped glitch, a legacy exporter running on a
/// model), is <see cref="EnergySource.Estimated"/>, with the measured pods' joules in its sum.
/// </para>
/// <para>
/// <b>Embodied share.</b> Per pod, the host of its node from the hardware models (by instance type,
/// <see cref="HardwarePowerCatalog.DescribeEmbodied"/>) and <see cref="EmbodiedHardware.GramsFor"/> of the pod's
/// charged cores, its GPUs and its run time. The Job's share is the sum over the pods whose host is known, and
/// <c>null</c> when no pod's is: an unknown share is left out rather than counted as zero, so a Job with some pods on
/// unknown hardware reports a lower bound.
/// </para>
/// </remarks>
internal sealed partial class JobEnergyMeter : IJobEnergyMeter
{
    private readonly INodeCache _nodes;
    private readonly NodeDescriber _describer;
    private readonly HardwarePowerCatalog _hardware;
    private readonly NodeScorer _scorer;
    private readonly KeplerOptions _kepler;
    private readonly KeplerReader? _reader;
    private readonly TimeProvider _time;
    private readonly ILogger<JobEnergyMeter> _logger;

    /// <summary>Creates the meter.</summary>
    /// <param name="nodes">The node cache: each pod's node's power profile and hardware.</param>
    /// <param name="describer">Reads a node's hardware from its facts.</param>
    /// <param name="hardware">The hardware models: the default model, and embodied emissions.</param>
    /// <param name="scorer">The scorer, whose marginal power a pod is charged.</param>
    /// <param name="kepler">The Kepler settings.</param>
    /// <param name="time">The clock of the read's deadline.</param>
    /// <param name="logger">The log.</param>
    /// <param name="reader">The Kepler reader, when Kepler is configured.</param>
    public JobEnergyMeter(
        INodeCache nodes,
        NodeDescriber describer,
        HardwarePowerCatalog hardware,
        NodeScorer scorer,
        IOptions<KeplerOptions> kepler,
        TimeProvider time,
        ILogger<JobEnergyMeter> logger,
        KeplerReader? reader = null)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        ArgumentNullException.ThrowIfNull(describer);
        ArgumentNullException.ThrowIfNull(hardware);
        ArgumentNullException.ThrowIfNull(scorer);
        ArgumentNullException.ThrowIfNull(kepler);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        _nodes = nodes;
        _describer = describer;
        _hardware = hardware;
        _scorer = scorer;
        _kepler = kepler.Value;
        _reader = _kepler.IsEnabled ? reader : null;
        _time = time;
        _logger = logger;
    }

    /// <summary>How long the read of the pods' Kepler counters may take before they are estimated instead.</summary>
    public TimeSpan ReadTimeout => TimeSpan.FromSeconds(_kepler.QueryTimeoutSeconds * (_kepler.MaxRetryAttempts + 1.0));

    /// <inheritdoc />
    /// <returns>The energy and embodied share; <c>null</c> only for a workload without pods.</returns>
    public async Task<MeteredEnergy?> MeasureAsync(FinishedWorkload workload, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(workload);
        if (workload.Pods.Count == 0)
        {
            return null;
        }

        var read = await ReadKeplerAsync(workload, cancellationToken).ConfigureAwait(false);
        var wanted = workload.Pods.Select(p => p.Node).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var nodes = new Dictionary<string, (NodeFacts Facts, NodeDescription Description)>(StringComparer.Ordinal);
        foreach (var entry in _nodes.Entries)
        {
            if (wanted.Contains(entry.Facts.Name))
            {
                nodes[entry.Facts.Name] = entry;
            }
        }

        var cpuJoules = 0.0;
        var gpuJoules = 0.0;
        var measured = true;
        double? embodied = null;
        foreach (var pod in workload.Pods)
        {
            var runTime = RunTime(pod, workload);
            var cores = _scorer.CpuCoresOf(Math.Max(0, pod.CpuCores));
            var gpus = Math.Max(0, pod.Gpus);
            var node = pod.Node is not null && nodes.TryGetValue(pod.Node, out var known) ? known : ((NodeFacts Facts, NodeDescription Description)?)null;
            var (cpuWatts, gpuWatts) = _scorer.MarginalWatts(cores, gpus, node?.Description.Power ?? DefaultPower(cores, gpus));
            var seconds = runTime.TotalSeconds;
            if (read.TryGetValue(pod.Name, out var energy))
            {
                cpuJoules += energy.CpuJoules.Value;
                measured &= energy.CpuJoules.Quality == ReadingQuality.Measured;
                if (gpus > 0 && energy.GpuJoules.Value <= 0)
                {
                    gpuJoules += gpuWatts * seconds;
                    measured = false;
                }
                else
                {
                    gpuJoules += energy.GpuJoules.Value;
                    measured &= energy.GpuJoules.Quality == ReadingQuality.Measured;
                }
            }
            else
            {
                cpuJoules += cpuWatts * seconds;
                gpuJoules += gpuWatts * seconds;
                measured = false;
            }

            if (node is { } n && _hardware.DescribeEmbodied(_describer.HardwareOf(n.Facts)) is { } host)
            {
                embodied = (embodied ?? 0) + host.GramsFor(cores, gpus, runTime);
            }
        }

        return new MeteredEnergy(new JobEnergy(cpuJoules, gpuJoules, measured ? EnergySource.Measured : EnergySource.Estimated), embodied);
    }

    // Started..Finished, clipped to the workload's From..To; a missing end is the workload's.
    private static TimeSpan RunTime(WorkloadPod pod, FinishedWorkload workload)
    {
        var start = pod.Started is { } started && started > workload.From ? started : workload.From;
        var end = pod.Finished is { } finished && finished < workload.To ? finished : workload.To;
        return end > start ? end - start : TimeSpan.Zero;
    }

    // A node the cache does not know: the hardware models' default CPU class (and GPU), sized to the pod, which is
    // then charged the default's dynamic watts per core and active watts per GPU.
    private NodePowerProfile DefaultPower(double cores, double gpus) =>
        _hardware.Describe(new NodeHardware(Math.Max(1, Math.Ceiling(cores)), Math.Ceiling(gpus), null, null, null));

    private async Task<IReadOnlyDictionary<string, PodEnergy>> ReadKeplerAsync(FinishedWorkload workload, CancellationToken cancellationToken)
    {
        var read = new Dictionary<string, PodEnergy>(StringComparer.Ordinal);
        if (_reader is null || workload.To <= workload.From)
        {
            return read;
        }

        var margin = TimeSpan.FromSeconds(_kepler.ReadingWindowSeconds);
        using var deadline = new CancellationTokenSource(ReadTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, cancellationToken);
        try
        {
            var pods = workload.Pods.Select(p => p.Name).Distinct(StringComparer.Ordinal).ToArray();
            var energies = await _reader.ReadPodEnergyAsync(workload.Namespace, pods, workload.From - margin, workload.To + margin, linked.Token).ConfigureAwait(false);
            foreach (var energy in energies)
            {
                read[energy.Pod] = energy;
            }

            return read;
        }
        catch (Exception e) when (e is PrometheusException or TimeoutRejectedException or BrokenCircuitException
            || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            LogKeplerFailed(_logger, e, workload.Namespace, workload.Name);
            return read;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Kepler's energy of Job {Namespace}/{Name} could not be read; its pods are estimated from the power models")]
    private static partial void LogKeplerFailed(ILogger logger, Exception exception, string @namespace, string name);
}
