namespace Scheduler.Signals.Intensity;

/// <summary>Which link of the fallback chain a zone's forecast came from.</summary>
public enum ForecastOrigin
{
    /// <summary>Fetched from the zone's provider in the latest refresh.</summary>
    Fresh,

    /// <summary>The provider failed; its last forecast is still within the staleness limit.</summary>
    Stale,

    /// <summary>Our own forecast from the zone's recent actuals.</summary>
    Own,

    /// <summary>The built-in carbon profile.</summary>
    Profile,
}
