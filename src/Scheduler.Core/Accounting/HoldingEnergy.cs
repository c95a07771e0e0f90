namespace Scheduler.Core.Accounting;

/// <summary>
/// Energy spent because a Job waited, measured: for example GPUs kept reserved and idle for it. Its
/// emissions are charged against the Job's savings.
/// </summary>
/// <param name="Joules">The energy, joules.</param>
/// <param name="Zone">The zone it was spent in.</param>
/// <param name="From">The start of the wait.</param>
/// <param name="To">The end of the wait.</param>
public sealed record HoldingEnergy(double Joules, string Zone, DateTimeOffset From, DateTimeOffset To);
