using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Scheduler.Signals.Kepler;

/// <summary>
/// Runs <see cref="KeplerService"/> in the background: readings every interval, models when due.
/// The first readings and models are awaited at start for at most one query timeout, so a slow
/// Prometheus never holds up the extender.
/// </summary>
public sealed class KeplerRefresher(KeplerService service, IOptions<KeplerOptions> options, TimeProvider time) : BackgroundService
{
    private Task _first = Task.CompletedTask;

    /// <inheritdoc />
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        _first = RefreshAsync(cancellationToken);
        await Task.WhenAny(_first, Task.Delay(TimeSpan.FromSeconds(options.Value.QueryTimeoutSeconds), time, cancellationToken)).ConfigureAwait(false);
        await base.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.RefreshIntervalSeconds), time);
        try
        {
            await _first.ConfigureAwait(false);
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                await RefreshAsync(stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutdown.
        }
    }

    private async Task RefreshAsync(CancellationToken cancellationToken)
    {
        // Readings first: the models learn from peers by the hardware the readings name.
        await service.RefreshReadingsAsync(cancellationToken).ConfigureAwait(false);
        if (service.ModelsDue)
        {
            await service.RefreshModelsAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
