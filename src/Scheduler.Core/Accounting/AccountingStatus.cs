namespace Scheduler.Core.Accounting;

/// <summary>Whether a Job's emissions could be accounted for, and if not, what is missing.</summary>
public enum AccountingStatus
{
    /// <summary>Energy and actual intensities were there: every figure is filled in.</summary>
    Accounted,

    /// <summary>The Job has not completed, or its energy was not recorded: nothing is claimed for it.</summary>
    NoEnergy,

    /// <summary>No recorded actual intensity covers one of its runs or its baseline: nothing is claimed for it.</summary>
    NoIntensity,
}
