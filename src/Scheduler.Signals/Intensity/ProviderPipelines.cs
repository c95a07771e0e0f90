using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;
using Polly.Registry;
using Polly.Retry;
using Polly.Timeout;

namespace Scheduler.Signals.Intensity;

/// <summary>
/// One named resilience pipeline per provider: retries with exponential back-off and jitter that
/// honour a 429's Retry-After, a circuit breaker, and a timeout on each attempt.
/// </summary>
public sealed class ProviderPipelines : IDisposable
{
    private readonly ResiliencePipelineRegistry<string> _registry = new();
    private readonly CarbonOptions _settings;
    private readonly TimeProvider _time;

    /// <summary>Creates the registry.</summary>
    public ProviderPipelines(IOptions<CarbonOptions> options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        _settings = options.Value;
        _time = time;
    }

    /// <summary>The pipeline of <paramref name="provider"/>, created on first use and then shared, so its circuit spans refreshes.</summary>
    public ResiliencePipeline For(string provider) =>
        _registry.GetOrAddPipeline(provider, builder => Configure(builder, _settings, _time));

    /// <inheritdoc />
    public void Dispose() => _registry.Dispose();

    /// <summary>Whether an error is worth retrying now: transient, and not asking us to wait longer than we will.</summary>
    internal static bool IsRetryable(Exception exception, TimeSpan maxRetryAfter) => exception switch
    {
        IntensityProviderException e => e.IsTransient && (e.RetryAfter is null || e.RetryAfter <= maxRetryAfter),
        TimeoutRejectedException => true,
        _ => false,
    };

    private static void Configure(ResiliencePipelineBuilder builder, CarbonOptions settings, TimeProvider time)
    {
        var maxRetryAfter = TimeSpan.FromSeconds(settings.MaxRetryAfterSeconds);
        var shouldHandle = new PredicateBuilder().Handle<Exception>(e => IsRetryable(e, maxRetryAfter));
        builder.TimeProvider = time;

        // Polly requires at least one attempt in a retry strategy; zero retries means no strategy.
        if (settings.MaxRetryAttempts > 0)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = shouldHandle,
                MaxRetryAttempts = settings.MaxRetryAttempts,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromSeconds(settings.RetryBaseDelaySeconds),

                // A 429's Retry-After is the server telling us when to come back: wait exactly that.
                DelayGenerator = args => ValueTask.FromResult(
                    args.Outcome.Exception is IntensityProviderException { RetryAfter: { } retryAfter } ? (TimeSpan?)retryAfter : null),
            });
        }

        builder
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<IntensityProviderException>(e => e.IsTransient).Handle<TimeoutRejectedException>(),
                // Open only on a sustained failure, not on the few retries of one bad refresh.
                FailureRatio = 0.5,
                MinimumThroughput = 10,
                SamplingDuration = TimeSpan.FromMinutes(10),
                BreakDuration = TimeSpan.FromSeconds(settings.CircuitBreakSeconds),
            })
            .AddTimeout(TimeSpan.FromSeconds(settings.ProviderTimeoutSeconds));
    }
}
