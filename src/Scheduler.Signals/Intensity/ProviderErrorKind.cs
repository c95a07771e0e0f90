namespace Scheduler.Signals.Intensity;

/// <summary>Why a provider call failed; decides whether it is retried and how it is counted in metrics.</summary>
public enum ProviderErrorKind
{
    /// <summary>Credentials were refused (401/403). Not retried.</summary>
    Auth,

    /// <summary>Too many requests (429); retried after the server's Retry-After when given.</summary>
    RateLimited,

    /// <summary>A server error (5xx) or a dropped connection; retried.</summary>
    Server,

    /// <summary>The call took too long; retried.</summary>
    Timeout,

    /// <summary>The answer could not be read (bad JSON, missing fields, unknown units). Not retried.</summary>
    Malformed,

    /// <summary>The provider does not know the zone or has no data for it (e.g. 404). Not retried.</summary>
    NoData,
}
