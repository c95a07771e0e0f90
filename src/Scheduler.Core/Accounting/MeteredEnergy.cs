namespace Scheduler.Core.Accounting;

/// <summary>The energy a finished Job used, and its share of its hardware's embodied emissions.</summary>
/// <param name="Energy">The energy, measured or estimated (<see cref="JobEnergy.Source"/>).</param>
/// <param name="EmbodiedGrams">Its embodied share, gCO2eq, when the hardware model knows the hardware's total.</param>
public sealed record MeteredEnergy(JobEnergy Energy, double? EmbodiedGrams);
