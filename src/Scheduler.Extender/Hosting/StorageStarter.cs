using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Scheduler.Storage;
using Scheduler.Storage.Migrations;

namespace Scheduler.Extender.Hosting;

/// <summary>
/// Brings the database schema up to date in the background whenever <c>Storage:ConnectionString</c> is set, whether
/// or not the deferral controller runs: the ledger needs its tables as much as Quartz does. A database that is down
/// (or migrations that fail) at start-up is retried with back-off and never stops the service; what needs the schema
/// (the ledger writer, the wake-up store) waits for <see cref="WaitAsync"/>. Without a database there is nothing to
/// migrate, and the store is ready at once. The migrations take an advisory lock, so replicas starting together
/// apply them once.
/// </summary>
internal sealed partial class StorageStarter(
    IOptions<StorageOptions> storage,
    ILoggerFactory loggers,
    TimeProvider time,
    ILogger<StorageStarter> logger) : BackgroundService
{
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes once the schema is up to date; it never fails, and waits as long as the database does.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled first.</exception>
    public Task WaitAsync(CancellationToken cancellationToken) => _ready.Task.WaitAsync(cancellationToken);

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!storage.Value.UsesDatabase)
        {
            _ready.TrySetResult();
            return;
        }

        for (var attempt = 1; !stoppingToken.IsCancellationRequested; attempt++)
        {
            try
            {
                var runner = MigrationRunner.ForOptions(storage.Value, loggers.CreateLogger<MigrationRunner>(), time);
                await runner.ApplyAsync(stoppingToken).ConfigureAwait(false);
                _ready.TrySetResult();
                LogReady(logger, storage.Value);
                return;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                var delay = TimeSpan.FromSeconds(Math.Min(60, Math.Pow(2, Math.Min(attempt, 6))));
                LogFailed(logger, e, delay.TotalSeconds);
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

    [LoggerMessage(Level = LogLevel.Information, Message = "The database schema is up to date ({Storage})")]
    private static partial void LogReady(ILogger logger, StorageOptions storage);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The database schema could not be brought up to date; the ledger and the wake-up store wait for it; retrying in {DelaySeconds} s")]
    private static partial void LogFailed(ILogger logger, Exception exception, double delaySeconds);
}
