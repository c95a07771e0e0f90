namespace Scheduler.Core.Simulation;

/// <summary>A job of a trace, as the simulator replays it.</summary>
/// <param name="Id">The job's id in the trace.</param>
/// <param name="Submit">When the job was submitted: no policy starts it earlier.</param>
/// <param name="Duration">How long it runs.</param>
/// <param name="Deadline">When it must have finished.</param>
/// <param name="PowerWatts">Its mean power draw.</param>
/// <param name="Interruptible">Whether it may be suspended and resumed.</param>
/// <param name="Zones">The grid zones it may run in, the first being where it runs without us.</param>
public sealed record SimulationJob(
    string Id,
    DateTimeOffset Submit,
    TimeSpan Duration,
    DateTimeOffset Deadline,
    double PowerWatts,
    bool Interruptible,
    IReadOnlyList<string> Zones)
{
    /// <summary>When the job would start without us (the baseline); the submission by default.</summary>
    public DateTimeOffset? NominalStart { get; init; }

    /// <summary>The GPUs (or other units of cluster capacity) the job holds while it runs; 1 by default.</summary>
    public int Gpus { get; init; } = 1;

    /// <summary>The baseline's start.</summary>
    public DateTimeOffset BaselineStart => NominalStart ?? Submit;

    /// <summary>The zone the job runs in without us.</summary>
    public string HomeZone => Zones[0];
}
