namespace Scheduler.Signals.Intensity;

/// <summary>A failed provider call, with its kind and, for 429, how long the server asked us to wait.</summary>
public sealed class IntensityProviderException : Exception
{
    /// <summary>Creates the exception.</summary>
    public IntensityProviderException(string provider, ProviderErrorKind kind, string message, TimeSpan? retryAfter = null, Exception? inner = null)
        : base($"{provider}: {message}", inner)
    {
        Provider = provider;
        Kind = kind;
        RetryAfter = retryAfter;
    }

    /// <summary>The provider's name.</summary>
    public string Provider { get; }

    /// <summary>Why the call failed.</summary>
    public ProviderErrorKind Kind { get; }

    /// <summary>The server's Retry-After, when it sent one.</summary>
    public TimeSpan? RetryAfter { get; }

    /// <summary>Whether trying again later may succeed.</summary>
    public bool IsTransient => Kind is ProviderErrorKind.RateLimited or ProviderErrorKind.Server or ProviderErrorKind.Timeout;
}
