namespace Scheduler.Core.Accounting;

/// <summary>The energy a Job used over all its runs.</summary>
/// <param name="CpuJoules">CPU (and the rest of the package: DRAM where the meter counts it) energy, joules.</param>
/// <param name="GpuJoules">GPU energy, joules.</param>
/// <param name="Source">Whether it was measured or estimated.</param>
public sealed record JobEnergy(double CpuJoules, double GpuJoules, EnergySource Source)
{
    /// <summary>Joules in one kilowatt-hour.</summary>
    public const double JoulesPerKwh = 3_600_000;

    /// <summary>CPU and GPU together, joules.</summary>
    public double TotalJoules => CpuJoules + GpuJoules;

    /// <summary>CPU and GPU together, kWh.</summary>
    public double Kwh => TotalJoules / JoulesPerKwh;
}
