using Microsoft.Extensions.Hosting;

namespace Scheduler.Signals;

/// <summary>
/// A cache filled from outside in the background: one refresh before the host reports started,
/// awaited for at most <see cref="StartWait"/> (a hanging source must not hold up the start), then one
/// per <see cref="Interval"/>. It only starts and stops the work.
/// </summary>
public abstract class PeriodicRefresher(TimeProvider time) : BackgroundService
{
    private Task _first = Task.CompletedTask;

    /// <summary>The time between refreshes.</summary>
    protected abstract TimeSpan Interval { get; }

    /// <summary>The longest the start waits for the first refresh.</summary>
    protected abstract TimeSpan StartWait { get; }

    /// <inheritdoc />
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        _first = RefreshAsync(cancellationToken);
        await Task.WhenAny(_first, Task.Delay(StartWait, time, cancellationToken)).ConfigureAwait(false);
        await base.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>One refresh; failures are the refresh's own to record, never thrown.</summary>
    protected abstract Task RefreshAsync(CancellationToken cancellationToken);

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
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
}
