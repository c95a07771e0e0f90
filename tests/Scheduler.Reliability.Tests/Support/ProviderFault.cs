namespace Scheduler.Reliability.Tests.Support;

/// <summary>How a carbon provider's API misbehaves while a fault is injected.</summary>
public enum ProviderFault
{
    /// <summary>Answers as the real API does.</summary>
    None,

    /// <summary>HTTP 500 with a JSON error body.</summary>
    ServerError,

    /// <summary>HTTP 429 with <c>Retry-After: 2</c>.</summary>
    RateLimited,

    /// <summary>HTTP 200 with a body cut off mid-JSON.</summary>
    Garbage,

    /// <summary>Accepts the connection and the request, and never answers.</summary>
    Hanging,
}
