using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Scheduler.Signals.Intensity;

/// <summary>
/// Runs <see cref="IntensityService"/>: one refresh of every zone before the host reports started,
/// then one per interval. It only starts and stops the work.
/// </summary>
public sealed class IntensityRefresher(IntensityService service, IOptions<CarbonOptions> options, TimeProvider time) : BackgroundService
{
    private Task _firstRefresh = Task.CompletedTask;

    /// <inheritdoc />
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        // The extender should not answer its first request with an empty cache when a forecast could
        // be had, but a hanging provider must not hold up the start either: wait a bounded time.
        _firstRefresh = service.RefreshAllAsync(cancellationToken);
        await Task.WhenAny(_firstRefresh, Task.Delay(TimeSpan.FromSeconds(options.Value.ProviderTimeoutSeconds), time, cancellationToken)).ConfigureAwait(false);
        await base.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.RefreshIntervalSeconds), time);
        try
        {
            await _firstRefresh.ConfigureAwait(false);
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                await service.RefreshAllAsync(stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutdown.
        }
    }
}
