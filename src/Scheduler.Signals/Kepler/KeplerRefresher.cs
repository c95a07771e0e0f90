using Microsoft.Extensions.Options;

namespace Scheduler.Signals.Kepler;

/// <summary>
/// Runs <see cref="KeplerService"/> in the background: readings every interval, models when due.
/// The first readings and models are awaited at start for at most one query timeout, so a slow
/// Prometheus never holds up the extender.
/// </summary>
public sealed class KeplerRefresher(KeplerService service, IOptions<KeplerOptions> options, TimeProvider time) : PeriodicRefresher(time)
{
    /// <inheritdoc />
    protected override TimeSpan Interval => TimeSpan.FromSeconds(options.Value.RefreshIntervalSeconds);

    /// <inheritdoc />
    protected override TimeSpan StartWait => TimeSpan.FromSeconds(options.Value.QueryTimeoutSeconds);

    /// <inheritdoc />
    protected override async Task RefreshAsync(CancellationToken cancellationToken)
    {
        // Readings first: the models learn from peers by the hardware the readings name.
        await service.RefreshReadingsAsync(cancellationToken).ConfigureAwait(false);
        if (service.ModelsDue)
        {
            await service.RefreshModelsAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
