namespace Scheduler.Core.Simulation;

/// <summary>A scheduling policy: where and when to run a job, from what is known at its submission.</summary>
public interface IPlacementPolicy
{
    /// <summary>The policy's name, as the command line takes it.</summary>
    string Name { get; }

    /// <summary>The run of <paramref name="job"/>; never starting before its submission.</summary>
    JobRun Place(SimulationJob job, IForecastSource forecasts);
}
