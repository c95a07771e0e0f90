using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;
using Scheduler.Signals.Prometheus;

namespace Scheduler.Signals.Kepler;

/// <summary>
/// The resilience pipeline of every Prometheus query: retries of transient failures with
/// exponential back-off and jitter, a circuit breaker so a Prometheus that is down is not hammered,
/// and a timeout on each attempt.
/// </summary>
public static class KeplerPipeline
{
    /// <summary>The pipeline for <paramref name="options"/>.</summary>
    public static ResiliencePipeline Create(KeplerOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        var transient = new PredicateBuilder()
            .Handle<PrometheusException>(e => e.IsTransient)
            .Handle<TimeoutRejectedException>();
        var builder = new ResiliencePipelineBuilder { TimeProvider = time };
        if (options.MaxRetryAttempts > 0)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = transient,
                MaxRetryAttempts = options.MaxRetryAttempts,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromSeconds(1),
            });
        }

        return builder
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions
            {
                ShouldHandle = transient,
                FailureRatio = 0.5,
                MinimumThroughput = 10,
                SamplingDuration = TimeSpan.FromMinutes(5),
                BreakDuration = TimeSpan.FromSeconds(options.CircuitBreakSeconds),
            })
            .AddTimeout(TimeSpan.FromSeconds(options.QueryTimeoutSeconds))
            .Build();
    }
}
