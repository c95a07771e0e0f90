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

    /// <summary>
    /// How old a zone's last provider forecast may grow, in minutes, before it is no longer used and the
    /// fallback chain moves on (own forecast, then built-in profile). Default 180.
    /// </summary>
    public int StalenessLimitMinutes { get; set; } = 180;

    /// <summary>Days of actuals kept per zone for our own forecast (read from the provider as they come). Default 14.</summary>
    public int ActualsDays { get; set; } = 14;

    /// <summary>Retries of a failed provider call within one refresh. Default 3.</summary>
    public int MaxRetryAttempts { get; set; } = 3;

    /// <summary>The first retry delay, in seconds; later ones grow exponentially, with jitter. Default 2.</summary>
    public double RetryBaseDelaySeconds { get; set; } = 2;

    /// <summary>
    /// The longest <c>Retry-After</c> waited for within a refresh, in seconds. A longer one skips the
    /// provider until that time instead. Default 120.
    /// </summary>
    public int MaxRetryAfterSeconds { get; set; } = 120;

    /// <summary>How long a provider's circuit stays open after repeated failures, in seconds. Default 300.</summary>
    public int CircuitBreakSeconds { get; set; } = 300;

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

        if (StalenessLimitMinutes is < 5 or > 7 * 24 * 60)
        {
            errors.Add($"Carbon:StalenessLimitMinutes is {StalenessLimitMinutes}; it must be between 5 and 10080 (7 days).");
        }

        if (ActualsDays is < 3 or > 60)
        {
            errors.Add($"Carbon:ActualsDays is {ActualsDays}; it must be between 3 and 60.");
        }

        if (MaxRetryAttempts is < 0 or > 10)
        {
            errors.Add($"Carbon:MaxRetryAttempts is {MaxRetryAttempts}; it must be between 0 and 10.");
        }

        if (!double.IsFinite(RetryBaseDelaySeconds) || RetryBaseDelaySeconds is < 0.01 or > 60)
        {
            errors.Add($"Carbon:RetryBaseDelaySeconds is {RetryBaseDelaySeconds}; it must be between 0.01 and 60.");
        }

        if (MaxRetryAfterSeconds is < 0 or > 3600)
        {
            errors.Add($"Carbon:MaxRetryAfterSeconds is {MaxRetryAfterSeconds}; it must be between 0 and 3600.");
        }

        if (CircuitBreakSeconds is < 1 or > 86_400)
        {
            errors.Add($"Carbon:CircuitBreakSeconds is {CircuitBreakSeconds}; it must be between 1 and 86400.");
        }

        foreach (var (zone, options) in Zones)
        {
            var type = CarbonSourceTypes.All.FirstOrDefault(t => string.Equals(t, options.Type, StringComparison.OrdinalIgnoreCase));
            if (type is null)
            {
                errors.Add($"Carbon:Zones:{zone}:Type is '{options.Type}'; it must be one of {string.Join(", ", CarbonSourceTypes.All)}.");
            }
            else if (type == CarbonSourceTypes.Profile && !profileZones.Contains(zone, StringComparer.OrdinalIgnoreCase))
            {
                errors.Add($"Carbon:Zones:{zone}:Type is Profile, but there is no built-in profile for {zone}; profiles exist for {string.Join(", ", profileZones.Order(StringComparer.Ordinal))}.");
            }
            else
            {
                errors.AddRange(RequiredSettings(zone, type, options));
            }
        }

        return errors;
    }

    private static IEnumerable<string> RequiredSettings(string zone, string type, CarbonZoneOptions options)
    {
        var prefix = $"Carbon:Zones:{zone}";
        Uri? url = null;
        if (options.Url is not null && !Uri.TryCreate(options.Url, UriKind.Absolute, out url))
        {
            yield return $"{prefix}:Url '{options.Url}' is not an absolute URL.";
        }
        else if (url is { UserInfo.Length: > 0 })
        {
            // The value itself is not repeated: it holds a password.
            yield return $"{prefix}:Url carries credentials (user:password@); give them in {prefix}:TokenFile or :Username and :PasswordFile.";
        }

        switch (type)
        {
            case CarbonSourceTypes.File when string.IsNullOrWhiteSpace(options.Path):
                yield return $"{prefix}:Path is required for Type File (a CSV or Carbon Aware SDK JSON file).";
                break;
            case CarbonSourceTypes.File when !System.IO.File.Exists(options.Path):
                yield return $"{prefix}:Path '{options.Path}' does not exist.";
                break;
            case CarbonSourceTypes.ElectricityMaps when string.IsNullOrWhiteSpace(options.TokenFile):
                yield return $"{prefix}:TokenFile is required for Type ElectricityMaps (a file holding the API token).";
                break;
            case CarbonSourceTypes.WattTime:
                if (string.IsNullOrWhiteSpace(options.Username) || string.IsNullOrWhiteSpace(options.PasswordFile))
                {
                    yield return $"{prefix}:Username and {prefix}:PasswordFile are required for Type WattTime.";
                }

                if (string.IsNullOrWhiteSpace(options.Region))
                {
                    yield return $"{prefix}:Region is required for Type WattTime (the WattTime region, e.g. CAISO_NORTH).";
                }

                break;
            case CarbonSourceTypes.UkNeso when options.Region is not null && !(int.TryParse(options.Region, out var id) && id is >= 1 and <= 17):
                yield return $"{prefix}:Region '{options.Region}' must be a NESO region id from 1 to 17 (or absent for the national forecast).";
                break;
            case CarbonSourceTypes.CarbonAwareSdk when string.IsNullOrWhiteSpace(options.Url):
                yield return $"{prefix}:Url is required for Type CarbonAwareSdk (the base URL of your Carbon Aware SDK WebAPI).";
                break;
            default:
                break;
        }

        foreach (var (name, path) in new[] { ("TokenFile", options.TokenFile), ("PasswordFile", options.PasswordFile) })
        {
            if (path is not null && !System.IO.File.Exists(path))
            {
                yield return $"{prefix}:{name} '{path}' does not exist.";
            }
        }
    }
}
