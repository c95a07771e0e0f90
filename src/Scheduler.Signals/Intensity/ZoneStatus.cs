namespace Scheduler.Signals.Intensity;

/// <summary>The state of one zone's intensity signal, for metrics, readiness and logs.</summary>
/// <param name="Zone">The zone.</param>
/// <param name="Provider">The configured provider's name.</param>
/// <param name="Origin">Where the forecast in use came from, or <c>null</c> when there is none.</param>
/// <param name="LastSuccess">When the provider last answered (UTC), if ever.</param>
/// <param name="LastError">The kind of the provider's last failure, if the last call failed.</param>
/// <param name="NextAttempt">The provider is not called again before this time (a long Retry-After), if set.</param>
public sealed record ZoneStatus(
    string Zone,
    string Provider,
    ForecastOrigin? Origin,
    DateTimeOffset? LastSuccess,
    ProviderErrorKind? LastError,
    DateTimeOffset? NextAttempt);
