namespace Scheduler.Core.Accounting;

/// <summary>Emissions and savings added up over a set of Jobs, gCO2eq.</summary>
public sealed class SavingsTotals
{
    /// <summary>The Jobs counted, accounted for or not.</summary>
    public int Jobs { get; private set; }

    /// <summary>The Jobs whose emissions were accounted for.</summary>
    public int Accounted { get; private set; }

    /// <summary>The accounted Jobs whose energy was estimated rather than measured.</summary>
    public int EstimatedEnergy { get; private set; }

    /// <summary>The Jobs that could not be accounted for (not complete, or no recorded intensity).</summary>
    public int NotAccounted => Jobs - Accounted;

    /// <summary>The energy of the accounted Jobs, kWh.</summary>
    public double Kwh { get; private set; }

    /// <summary>What the accounted Jobs emitted.</summary>
    public double EmittedGrams { get; private set; }

    /// <summary>What they would have emitted run at once.</summary>
    public double BaselineGrams { get; private set; }

    /// <summary>The part of the saving due to when they ran.</summary>
    public double TemporalSavedGrams { get; private set; }

    /// <summary>The part of the saving due to where they ran.</summary>
    public double SpatialSavedGrams { get; private set; }

    /// <summary>What holding them cost, where measured.</summary>
    public double HoldingGrams { get; private set; }

    /// <summary>Their embodied share, summed over the Jobs for which it is known.</summary>
    public double EmbodiedGrams { get; private set; }

    /// <summary>The accounted Jobs the extender only placed (never held), whose saving is all spatial.</summary>
    public int PlacedJobs { get; private set; }

    /// <summary>The accounted dry-run Jobs (planned, never held) for which a would-have-saved figure is known.</summary>
    public int DryRunJobs { get; private set; }

    /// <summary>What holding the dry-run Jobs as planned would have saved, summed over <see cref="DryRunJobs"/>.</summary>
    public double DryRunWouldHaveSavedGrams { get; private set; }

    /// <summary>The net saving.</summary>
    public double SavedGrams => BaselineGrams - EmittedGrams - HoldingGrams;

    /// <summary>The net saving as a share of the baseline, in percent.</summary>
    public double SavedPercent => BaselineGrams > 0 ? 100 * SavedGrams / BaselineGrams : 0;

    /// <summary>Adds one Job.</summary>
    public void Add(JobEmissions job)
    {
        ArgumentNullException.ThrowIfNull(job);
        Jobs++;
        if (job.Status != AccountingStatus.Accounted)
        {
            return;
        }

        Accounted++;
        EstimatedEnergy += job.Entry.Energy?.Source == EnergySource.Estimated ? 1 : 0;
        Kwh += job.Entry.Energy?.Kwh ?? 0;
        EmittedGrams += job.EmittedGrams;
        BaselineGrams += job.BaselineGrams;
        TemporalSavedGrams += job.TemporalSavedGrams;
        SpatialSavedGrams += job.SpatialSavedGrams;
        HoldingGrams += job.HoldingGrams;
        EmbodiedGrams += job.EmbodiedGrams ?? 0;
        PlacedJobs += job.Entry.IsPlacedOnly ? 1 : 0;
        if (job.DryRunSavedGrams is { } wouldHaveSaved)
        {
            DryRunJobs++;
            DryRunWouldHaveSavedGrams += wouldHaveSaved;
        }
    }
}
