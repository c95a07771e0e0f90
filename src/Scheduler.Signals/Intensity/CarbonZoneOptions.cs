namespace Scheduler.Signals.Intensity;

/// <summary>Where one grid zone's intensity comes from (configuration <c>Carbon:Zones:&lt;ZONE&gt;</c>).</summary>
public sealed class CarbonZoneOptions
{
    /// <summary><c>Profile</c> (default), <c>File</c>, <c>ElectricityMaps</c>, <c>WattTime</c>, <c>UkNeso</c> or <c>CarbonAwareSdk</c>.</summary>
    public string Type { get; set; } = CarbonSourceTypes.Profile;

    /// <summary>A file to read (type <c>File</c>).</summary>
    public string? Path { get; set; }

    /// <summary>The API's base URL.</summary>
    public string? Url { get; set; }

    /// <summary>A file holding the API token.</summary>
    public string? TokenFile { get; set; }

    /// <summary>The provider's own name for the zone, where it differs.</summary>
    public string? Region { get; set; }

    /// <summary>WattTime user name.</summary>
    public string? Username { get; set; }

    /// <summary>A file holding the WattTime password.</summary>
    public string? PasswordFile { get; set; }
}
