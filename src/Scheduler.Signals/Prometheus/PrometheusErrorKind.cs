namespace Scheduler.Signals.Prometheus;

/// <summary>Why a Prometheus query failed.</summary>
public enum PrometheusErrorKind
{
    /// <summary>Prometheus could not be reached, or answered 5xx or 503 (overloaded, shutting down).</summary>
    Unavailable,

    /// <summary>The query took longer than allowed (ours or Prometheus' own <c>timeout</c>).</summary>
    Timeout,

    /// <summary>Prometheus rejected the query (400 <c>bad_data</c>, 422 <c>execution</c>): a bug or a limit, not worth retrying.</summary>
    Rejected,

    /// <summary>The server answered, but not with the Prometheus HTTP API's JSON.</summary>
    Malformed,

    /// <summary>401 or 403: the credentials are missing or wrong.</summary>
    Auth,
}
