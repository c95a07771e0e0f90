using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Timeout;

namespace Scheduler.Signals.Intensity;

/// <summary>
/// Keeps <see cref="IntensityCache"/> fresh: refreshes every zone's forecast at start and then on a
/// fixed interval. A provider that fails or hangs leaves the zone's last forecast in place.
/// </summary>
public sealed partial class IntensityRefresher(
    IntensityCache cache,
    ProfileIntensityProvider profiles,
    IOptions<CarbonOptions> options,
    TimeProvider time,
    ILogger<IntensityRefresher> logger) : BackgroundService
{
    private readonly ResiliencePipeline _pipeline = new ResiliencePipelineBuilder { TimeProvider = time }
        .AddTimeout(new TimeoutStrategyOptions { Timeout = TimeSpan.FromSeconds(options.Value.ProviderTimeoutSeconds) })
        .Build();

    /// <summary>Refreshes every zone once.</summary>
    public async Task RefreshAllAsync(CancellationToken cancellationToken)
    {
        var zones = profiles.Zones.Union(options.Value.Zones.Keys, StringComparer.OrdinalIgnoreCase).ToList();
        foreach (var zone in zones)
        {
            await RefreshZoneAsync(ProviderFor(zone), zone, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        // The first refresh runs before the host reports started, so the extender never answers
        // its first request with an empty cache when a forecast could have been had.
        await RefreshAllAsync(cancellationToken).ConfigureAwait(false);
        await base.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.RefreshIntervalSeconds), time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                await RefreshAllAsync(stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutdown.
        }
    }

    // Every configurable type but Profile is rejected at start-up by CarbonOptions.Validate, so the
    // profile provider serves every zone until the live providers are registered here.
    private IIntensityProvider ProviderFor(string zone) => profiles;

    private async Task RefreshZoneAsync(IIntensityProvider provider, string zone, CancellationToken cancellationToken)
    {
        try
        {
            var forecast = await _pipeline.ExecuteAsync(
                async token => await provider.GetForecastAsync(zone, time.GetUtcNow(), token).ConfigureAwait(false),
                cancellationToken).ConfigureAwait(false);
            if (forecast is not null)
            {
                cache.Set(forecast);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogRefreshFailed(logger, e, zone, provider.Name);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refreshing the forecast of zone {Zone} from {Provider} failed; keeping the last one")]
    private static partial void LogRefreshFailed(ILogger logger, Exception exception, string zone, string provider);
}
