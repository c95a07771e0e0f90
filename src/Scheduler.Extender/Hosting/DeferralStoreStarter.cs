using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Quartz;
using Scheduler.Storage;

namespace Scheduler.Extender.Hosting;

/// <summary>
/// Brings up the wake-up store in the background: once <see cref="StorageStarter"/> has the database schema up to
/// date (at once without PostgreSQL), the Quartz scheduler. A database that is down at start-up is retried with
/// back-off and never stops the service: scheduling goes on, and the in-process wake-ups keep every deadline meanwhile.
/// </summary>
internal sealed partial class DeferralStoreStarter(
    ISchedulerFactory factory,
    StorageStarter schema,
    IOptions<StorageOptions> storage,
    TimeProvider time,
    ILogger<DeferralStoreStarter> logger) : BackgroundService
{
    /// <summary>Whether the store is up.</summary>
    public bool Started { get; private set; }

    /// <inheritdoc />
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        if (Started)
        {
            var scheduler = await factory.GetScheduler(cancellationToken).ConfigureAwait(false);
            await scheduler.Shutdown(waitForJobsToComplete: false, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            // The migrations are StorageStarter's, which applies them whether or not the controller runs.
            await schema.WaitAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        for (var attempt = 1; !stoppingToken.IsCancellationRequested; attempt++)
        {
            try
            {
                var scheduler = await factory.GetScheduler(stoppingToken).ConfigureAwait(false);
                await scheduler.Start(stoppingToken).ConfigureAwait(false);
                Started = true;
                LogStarted(logger, storage.Value.UsesDatabase ? "PostgreSQL" : "in-memory");
                return;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                var delay = TimeSpan.FromSeconds(Math.Min(60, Math.Pow(2, Math.Min(attempt, 6))));
                LogStartFailed(logger, e, delay.TotalSeconds);
                try
                {
                    await Task.Delay(delay, time, stoppingToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "The wake-up store is up ({Store})")]
    private static partial void LogStarted(ILogger logger, string store);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The wake-up store could not start; in-process wake-ups only until it does; retrying in {DelaySeconds} s")]
    private static partial void LogStartFailed(ILogger logger, Exception exception, double delaySeconds);
}
