namespace Scheduler.Cli.Simulation;

/// <summary>What a GAIA trace does not say about its jobs.</summary>
/// <param name="Start">The time the trace's time 0 stands for.</param>
/// <param name="Unit">The unit of the trace's times and lengths.</param>
/// <param name="MaxDelay">How much later than arrival + length a job may finish: its deadline.</param>
/// <param name="WattsPerCpu">The power of one of a job's CPUs.</param>
/// <param name="Zones">The zones every job may run in, the first its home.</param>
/// <param name="Interruptible">Whether every job may be suspended and resumed.</param>
internal sealed record GaiaTraceSettings(DateTimeOffset Start, TimeSpan Unit, TimeSpan MaxDelay, double WattsPerCpu, IReadOnlyList<string> Zones, bool Interruptible);
