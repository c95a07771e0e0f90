using k8s;
using k8s.LeaderElection;
using k8s.LeaderElection.ResourceLock;
using k8s.Models;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Scheduler.Signals.Intensity;

namespace Scheduler.Kubernetes.Deferral;

/// <summary>
/// Runs the deferral controller. Every replica decides on the Jobs and Pods its wake-ups name (a wake-up
/// may fire on any replica of a clustered store; decisions are patched on the resourceVersion they were
/// made on, so two replicas never act on one object twice). Only the leader, elected on a Lease, watches
/// Jobs (and bare Pods, with <see cref="DeferralOptions.Pods"/>), resyncs them, and plans held ones again
/// when a new forecast is issued.
/// </summary>
public sealed partial class DeferralHost(
    IKubernetes client,
    JobWatcher watcher,
    PendingJobs pending,
    DeferralController controller,
    IntensityCache intensity,
    IOptions<DeferralOptions> options,
    TimeProvider time,
    ILogger<DeferralHost> logger,
    PodWatcher? pods = null) : BackgroundService
{
    private readonly string _identity = $"{Environment.MachineName}-{Guid.NewGuid():N}"[..Math.Min(63, Environment.MachineName.Length + 33)];

    /// <summary>Whether this replica leads now.</summary>
    public bool IsLeader { get; private set; }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.WhenAll(DecideAsync(stoppingToken), LeadAsync(stoppingToken)).ConfigureAwait(false);
    }

    // Takes keys from the queue one at a time; one failure is logged and the object asked for again later.
    private async Task DecideAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            JobKey key;
            try
            {
                key = await pending.DequeueAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            try
            {
                await controller.ReconcileAsync(key, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                LogDecisionFailed(logger, e, key.Kind, key);
                _ = RetryLaterAsync(key, stoppingToken);
            }
        }
    }

    private async Task RetryLaterAsync(JobKey key, CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(options.Value.RetrySeconds), time, stoppingToken).ConfigureAwait(false);
            pending.Enqueue(key);
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    private async Task LeadAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        var lease = new LeaseLock(client, settings.LeaseNamespace, settings.LeaseName, _identity);
        using var elector = new LeaderElector(new LeaderElectionConfig(lease)
        {
            LeaseDuration = TimeSpan.FromSeconds(settings.LeaseDurationSeconds),
            RenewDeadline = TimeSpan.FromSeconds(settings.LeaseDurationSeconds * 2 / 3.0),
            RetryPeriod = TimeSpan.FromSeconds(Math.Max(1, settings.LeaseDurationSeconds / 7.0)),
        });
        CancellationTokenSource? leading = null;
        Task work = Task.CompletedTask;
        elector.OnStartedLeading += () =>
        {
            IsLeader = true;
            LogLeading(logger, _identity);
            leading = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            work = LeaderWorkAsync(leading.Token);
        };
        elector.OnStoppedLeading += () =>
        {
            IsLeader = false;
            LogStoppedLeading(logger, _identity);
            leading?.Cancel();
        };

        try
        {
            await elector.RunAndTryToHoldLeadershipForeverAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }

        leading?.Cancel();
        await work.ConfigureAwait(false);
        leading?.Dispose();
    }

    // The leader's part: the Job and Pod watches, a periodic resync, and re-planning when forecasts are issued.
    private async Task LeaderWorkAsync(CancellationToken token)
    {
        var replanRequested = 0;
        void OnForecastIssued(object? sender, string zone) => Interlocked.Exchange(ref replanRequested, 1);
        intensity.ForecastIssued += OnForecastIssued;
        watcher.UntrackedJobFinished += OnUntrackedJobFinished;
        try
        {
            var podsWatched = pods is not null && options.Value.Pods ? pods : null;
            var watching = Task.WhenAll(watcher.RunAsync(token), podsWatched?.RunAsync(token) ?? Task.CompletedTask);
            using var resync = new PeriodicTimer(TimeSpan.FromSeconds(10), time);
            var sinceResync = TimeSpan.Zero;
            while (await Ticked(resync, token).ConfigureAwait(false))
            {
                sinceResync += TimeSpan.FromSeconds(10);
                if (sinceResync >= TimeSpan.FromMinutes(options.Value.ResyncMinutes))
                {
                    sinceResync = TimeSpan.Zero;
                    foreach (var key in watcher.Known.Concat(podsWatched?.Known ?? []))
                    {
                        pending.Enqueue(key);
                    }
                }

                // Forecasts of several zones arrive in one refresh: the held ones are planned again once for all of them.
                if (Interlocked.Exchange(ref replanRequested, 0) == 1)
                {
                    foreach (var key in watcher.Waiting.Concat(podsWatched?.Waiting ?? []))
                    {
                        pending.Enqueue(key);
                    }
                }
            }

            await watching.ConfigureAwait(false);
        }
        finally
        {
            intensity.ForecastIssued -= OnForecastIssued;
            watcher.UntrackedJobFinished -= OnUntrackedJobFinished;
        }
    }

    // On the watch's thread: a failure is logged, never allowed to stop the watch.
    private void OnUntrackedJobFinished(object? sender, V1Job job)
    {
        try
        {
            controller.RecordPlacedJob(job);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogPlacedJobFailed(logger, e, job.Metadata?.NamespaceProperty, job.Metadata?.Name);
        }
    }

    private static async Task<bool> Ticked(PeriodicTimer timer, CancellationToken token)
    {
        try
        {
            return await timer.WaitForNextTickAsync(token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Deciding on {Kind} {Key} failed; trying again later")]
    private static partial void LogDecisionFailed(ILogger logger, Exception exception, WorkloadKind kind, JobKey key);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Recording the finished Job {Namespace}/{Name} into the carbon ledger failed")]
    private static partial void LogPlacedJobFailed(ILogger logger, Exception exception, string? @namespace, string? name);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Identity} leads the deferral controller")]
    private static partial void LogLeading(ILogger logger, string identity);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Identity} no longer leads the deferral controller")]
    private static partial void LogStoppedLeading(ILogger logger, string identity);
}
