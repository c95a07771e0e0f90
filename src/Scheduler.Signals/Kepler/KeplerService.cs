using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly.CircuitBreaker;
using Polly.Timeout;
using Scheduler.Signals.Power;
using Scheduler.Signals.Prometheus;

namespace Scheduler.Signals.Kepler;

/// <summary>
/// Reads Kepler into the <see cref="MeasuredPowerCatalog"/>: current readings on every refresh, and
/// the power models fitted again from history when they fall due. A failure keeps what is cached
/// until it goes stale, when the nodes fall back to their hardware models.
/// </summary>
public sealed partial class KeplerService(
    KeplerReader reader,
    PowerModelFitter fitter,
    MeasuredPowerCatalog catalog,
    IOptions<KeplerOptions> options,
    TimeProvider time,
    ILogger<KeplerService> logger)
{
    private readonly ConcurrentDictionary<string, long> _errors = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _repairs = new(StringComparer.Ordinal);
    private KeplerStatus _status = KeplerStatus.Initial(options.Value.IsEnabled);

    /// <summary>How the readings stand.</summary>
    public KeplerStatus Status => _status;

    /// <summary>Failed refreshes so far, by kind (Unavailable, Timeout, Rejected, Malformed, Auth, CircuitOpen).</summary>
    public IReadOnlyDictionary<string, long> ErrorCounts => _errors;

    /// <summary>Counter repairs so far, by kind (wrap, reset, glitch).</summary>
    public IReadOnlyDictionary<string, long> RepairCounts => _repairs;

    /// <summary>Whether the models are due for fitting again.</summary>
    public bool ModelsDue =>
        _status.LastModelsAt is not { } last || time.GetUtcNow() - last >= TimeSpan.FromMinutes(options.Value.ModelRefreshMinutes);

    /// <summary>Reads every node's current power and load.</summary>
    public async Task RefreshReadingsAsync(CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            var now = time.GetUtcNow();
            var schemas = await reader.DetectSchemasAsync(now, cancellationToken).ConfigureAwait(false);
            if (schemas.Count == 0)
            {
                LogNoKepler(logger);
            }

            var readings = await reader.ReadNodesAsync(now, schemas, cancellationToken).ConfigureAwait(false);
            catalog.UpdateReadings(readings);
            foreach (var reading in readings)
            {
                Count(_repairs, "wrap", reading.CounterRepairs.Wraps);
                Count(_repairs, "reset", reading.CounterRepairs.Resets);
                Count(_repairs, "glitch", reading.CounterRepairs.Glitches);
            }

            _status = _status with
            {
                Schemas = schemas,
                LastReadingsAt = now,
                LastError = null,
                NodesRead = readings.Count,
                ReadingsSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds,
            };
        }
        catch (Exception e) when (IsOutsideFailure(e, cancellationToken))
        {
            Fail(e);
        }
        finally
        {
            var dropped = catalog.Expire();
            if (dropped > 0)
            {
                LogStale(logger, dropped);
            }
        }
    }

    /// <summary>Fits every node's power model from its history.</summary>
    public async Task RefreshModelsAsync(CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            var now = time.GetUtcNow();
            var histories = await reader.ReadHistoryAsync(now, cancellationToken).ConfigureAwait(false);
            var models = fitter.FitAll(histories, catalog.HardwareKeys());
            if (models.Count == 0 && catalog.Models.Count > 0)
            {
                // Prometheus answered, but with no usable history (its retention was cut, Kepler's
                // job renamed): the last models stay, since a node's hardware has not changed.
                LogNoHistory(logger, histories.Count);
                return;
            }

            catalog.UpdateModels(models);
            _status = _status with { LastModelsAt = now, ModelsSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds };
            var fromPeers = models.Count(m => m.FromPeers);
            LogModels(logger, models.Count, fromPeers, histories.Count);
        }
        catch (Exception e) when (IsOutsideFailure(e, cancellationToken))
        {
            Fail(e);
        }
    }

    private static bool IsOutsideFailure(Exception e, CancellationToken cancellationToken) =>
        e is PrometheusException or TimeoutRejectedException or BrokenCircuitException
        || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested);

    private void Fail(Exception e)
    {
        var kind = e switch
        {
            PrometheusException p => p.Kind.ToString(),
            BrokenCircuitException => "CircuitOpen",
            _ => nameof(PrometheusErrorKind.Timeout),
        };
        Count(_errors, kind, 1);
        _status = _status with { LastError = $"{kind}: {e.Message}" };
        LogFailed(logger, kind, e.Message);
    }

    private static void Count(ConcurrentDictionary<string, long> counts, string key, long by)
    {
        if (by > 0)
        {
            counts.AddOrUpdate(key, by, (_, n) => n + by);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Kepler refresh failed ({Kind}): {Error}; cached readings are used until they go stale, then the hardware models")]
    private static partial void LogFailed(ILogger logger, string kind, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Prometheus has no Kepler metrics (neither kepler_build_info nor kepler_exporter_build_info); nodes are scored with the hardware models")]
    private static partial void LogNoKepler(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Nodes} nodes' Kepler readings went stale; they are scored with the hardware models")]
    private static partial void LogStale(ILogger logger, int nodes);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Kepler history of {Histories} nodes gave no power model; the previous models are kept")]
    private static partial void LogNoHistory(ILogger logger, int histories);

    [LoggerMessage(Level = LogLevel.Information, Message = "Power models fitted for {Models} nodes ({FromPeers} from same-hardware peers) out of {Histories} with history")]
    private static partial void LogModels(ILogger logger, int models, int fromPeers, int histories);
}
