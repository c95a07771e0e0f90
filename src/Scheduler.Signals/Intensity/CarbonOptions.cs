namespace Scheduler.Signals.Intensity;

/// <summary>Carbon-intensity settings (configuration section <c>Carbon</c>).</summary>
public sealed class CarbonOptions
{
    /// <summary>The configuration section name.</summary>
    public const string SectionName = "Carbon";

    /// <summary>Per-zone sources; zones not listed use their built-in profile when there is one.</summary>
    public Dictionary<string, CarbonZoneOptions> Zones { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>How often forecasts are refreshed in the background, in seconds. Default 300.</summary>
    public int RefreshIntervalSeconds { get; set; } = 300;

    /// <summary>How long one provider call may take before it is abandoned, in seconds. Default 10.</summary>
    public int ProviderTimeoutSeconds { get; set; } = 10;

    /// <summary>Every problem with these settings, one message per bad setting; empty when valid.</summary>
    public IReadOnlyList<string> Validate(IReadOnlyCollection<string> profileZones)
    {
        ArgumentNullException.ThrowIfNull(profileZones);
        var errors = new List<string>();
        if (RefreshIntervalSeconds is < 10 or > 86_400)
        {
            errors.Add($"Carbon:RefreshIntervalSeconds is {RefreshIntervalSeconds}; it must be between 10 and 86400.");
        }

        if (ProviderTimeoutSeconds is < 1 or > 300)
        {
            errors.Add($"Carbon:ProviderTimeoutSeconds is {ProviderTimeoutSeconds}; it must be between 1 and 300.");
        }

        foreach (var (zone, options) in Zones)
        {
            var type = CarbonSourceTypes.All.FirstOrDefault(t => string.Equals(t, options.Type, StringComparison.OrdinalIgnoreCase));
            if (type is null)
            {
                errors.Add($"Carbon:Zones:{zone}:Type is '{options.Type}'; it must be one of {string.Join(", ", CarbonSourceTypes.All)}.");
            }
            else if (!CarbonSourceTypes.Available.Contains(type))
            {
                errors.Add($"Carbon:Zones:{zone}:Type '{type}' is not available in this build; available: {string.Join(", ", CarbonSourceTypes.Available)}.");
            }
            else if (type == CarbonSourceTypes.Profile && !profileZones.Contains(zone, StringComparer.OrdinalIgnoreCase))
            {
                errors.Add($"Carbon:Zones:{zone}:Type is Profile, but there is no built-in profile for {zone}; profiles exist for {string.Join(", ", profileZones.Order(StringComparer.Ordinal))}.");
            }
        }

        return errors;
    }
}
