using Microsoft.Extensions.Options;

namespace Scheduler.Signals.Intensity;

/// <summary>
/// Runs <see cref="IntensityService"/>: every zone refreshed before the host reports started (for
/// at most one provider timeout, so the first request is not answered from an empty cache when a
/// forecast could be had), then once per interval.
/// </summary>
public sealed class IntensityRefresher(IntensityService service, IOptions<CarbonOptions> options, TimeProvider time) : PeriodicRefresher(time)
{
    /// <inheritdoc />
    protected override TimeSpan Interval => TimeSpan.FromSeconds(options.Value.RefreshIntervalSeconds);

    /// <inheritdoc />
    protected override TimeSpan StartWait => TimeSpan.FromSeconds(options.Value.ProviderTimeoutSeconds);

    /// <inheritdoc />
    protected override Task RefreshAsync(CancellationToken cancellationToken) => service.RefreshAllAsync(cancellationToken);
}
