namespace Scheduler.Core.Simulation;

/// <summary>What happened to one job: where and when it ran, and its emissions on the actual intensity.</summary>
/// <param name="Job">The job.</param>
/// <param name="Run">The policy's run.</param>
/// <param name="BaselineGrams">Its emissions run at its nominal start in its home zone, gCO2eq.</param>
/// <param name="PolicyGrams">Its emissions as the policy ran it, gCO2eq.</param>
/// <param name="Delay">How much later it finished than the baseline would have.</param>
/// <param name="MissedDeadline">Whether it finished after its deadline.</param>
public sealed record JobOutcome(SimulationJob Job, JobRun Run, double BaselineGrams, double PolicyGrams, TimeSpan Delay, bool MissedDeadline);
