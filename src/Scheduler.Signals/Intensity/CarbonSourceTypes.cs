namespace Scheduler.Signals.Intensity;

/// <summary>The names of the intensity source types accepted in <c>Carbon:Zones:&lt;ZONE&gt;:Type</c>.</summary>
public static class CarbonSourceTypes
{
    /// <summary>Built-in profile from <c>models/carbon-profiles/</c>.</summary>
    public const string Profile = "Profile";

    /// <summary>A CSV or Carbon Aware SDK JSON file.</summary>
    public const string File = "File";

    /// <summary>Electricity Maps v3.</summary>
    public const string ElectricityMaps = "ElectricityMaps";

    /// <summary>WattTime v3.</summary>
    public const string WattTime = "WattTime";

    /// <summary>UK NESO Carbon Intensity API.</summary>
    public const string UkNeso = "UkNeso";

    /// <summary>Green Software Foundation Carbon Aware SDK WebAPI.</summary>
    public const string CarbonAwareSdk = "CarbonAwareSdk";

    /// <summary>Every type name the configuration contract defines.</summary>
    public static readonly IReadOnlyList<string> All = [Profile, File, ElectricityMaps, WattTime, UkNeso, CarbonAwareSdk];
}
