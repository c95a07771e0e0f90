namespace Scheduler.Signals.Prometheus;

/// <summary>A failed Prometheus query, with its kind.</summary>
public sealed class PrometheusException : Exception
{
    /// <summary>Creates the exception.</summary>
    public PrometheusException(PrometheusErrorKind kind, string message, Exception? inner = null)
        : base(message, inner)
    {
        Kind = kind;
    }

    /// <summary>Why the query failed.</summary>
    public PrometheusErrorKind Kind { get; }

    /// <summary>Whether trying again later may succeed.</summary>
    public bool IsTransient => Kind is PrometheusErrorKind.Unavailable or PrometheusErrorKind.Timeout;
}
