using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly.CircuitBreaker;
using Polly.Timeout;
using Scheduler.Core.Intensity;
using Scheduler.Signals.Forecasting;

namespace Scheduler.Signals.Intensity;

/// <summary>
/// Fills <see cref="IntensityCache"/> from each zone's provider, through the provider's resilience
/// pipeline, and falls back when it fails: the last provider forecast while it is within the
/// staleness limit and still covers now, then our own forecast from the zone's recent actuals, then
/// the zone's built-in profile, else nothing (scores of that zone turn neutral). Every forecast is
/// recorded with its issue time and scored against later actuals. Request handlers read the cache
/// only, never this service.
/// </summary>
public sealed partial class IntensityService(
    IntensityCache cache,
    IZoneSources sources,
    ProfileIntensityProvider profiles,
    ProviderPipelines pipelines,
    HarmonicForecaster forecaster,
    ForecastErrorTracker errors,
    IOptions<CarbonOptions> options,
    TimeProvider time,
    ILogger<IntensityService> logger)
{
    /// <summary>How far our own forecast reaches.</summary>
    public static readonly TimeSpan OwnForecastHorizon = TimeSpan.FromHours(72);

    private static readonly TimeSpan ActualsPiece = TimeSpan.FromDays(7);

    private readonly ConcurrentDictionary<string, List<IntensityReading>> _actuals = new(StringComparer.OrdinalIgnoreCase);

    private readonly ConcurrentDictionary<string, IntensityForecast> _lastFromProvider = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, ZoneStatus> _status = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<(string Provider, ProviderErrorKind Kind), long> _errors = new();

    /// <summary>
    /// Raised on the refreshing thread after a zone's provider was asked for actuals, with the readings that were new
    /// (possibly none). Zones served by the built-in profile never raise it: a profile has no actuals.
    /// </summary>
    public event EventHandler<ZoneActuals>? ActualsRead;

    /// <summary>The state of every zone refreshed so far.</summary>
    public IReadOnlyList<ZoneStatus> Status() => _status.Values.OrderBy(s => s.Zone, StringComparer.Ordinal).ToList();

    /// <summary>The newest actual reading of each zone that has a provider with actuals.</summary>
    public IReadOnlyList<(string Zone, string Provider, IntensityReading Reading)> LatestActuals()
    {
        var latest = new List<(string, string, IntensityReading)>();
        foreach (var (zone, history) in _actuals)
        {
            lock (history)
            {
                if (history.Count > 0)
                {
                    latest.Add((zone, sources.SourceOf(zone).Name, history[^1]));
                }
            }
        }

        return latest;
    }

    /// <summary>How well each source has forecast each zone so far.</summary>
    public IReadOnlyList<ForecastError> ForecastErrors() => errors.Errors();

    /// <summary>Provider failures so far, by provider and kind.</summary>
    public IReadOnlyDictionary<(string Provider, ProviderErrorKind Kind), long> ErrorCounts() => new Dictionary<(string, ProviderErrorKind), long>(_errors);

    /// <summary>Refreshes every zone once, concurrently, so one slow provider does not hold up the others.</summary>
    public Task RefreshAllAsync(CancellationToken cancellationToken) =>
        Task.WhenAll(sources.Zones.Select(zone => RefreshZoneAsync(zone, cancellationToken)));

    /// <summary>Refreshes one zone: its provider first, then the fallback chain.</summary>
    public async Task RefreshZoneAsync(string zone, CancellationToken cancellationToken)
    {
        var provider = sources.SourceOf(zone);
        var now = time.GetUtcNow();
        var previous = _status.GetValueOrDefault(zone);

        if (provider is ProfileIntensityProvider)
        {
            var profileForecast = await profiles.GetForecastAsync(zone, now, cancellationToken).ConfigureAwait(false);
            Publish(zone, provider.Name, profileForecast, ForecastOrigin.Profile, now, null, null);
            return;
        }

        await CollectActualsAsync(zone, provider, now, previous, cancellationToken).ConfigureAwait(false);
        ProviderErrorKind? error = null;
        DateTimeOffset? nextAttempt = null;
        if (previous?.NextAttempt is { } waitUntil && waitUntil > now)
        {
            // The provider asked us (Retry-After) not to call before then.
            error = previous.LastError;
            nextAttempt = waitUntil;
        }
        else
        {
            try
            {
                var forecast = await pipelines.For(provider.Name).ExecuteAsync(
                    async token => await provider.GetForecastAsync(zone, now, token).ConfigureAwait(false),
                    cancellationToken).ConfigureAwait(false);
                if (forecast is not null && forecast.Series.End > now)
                {
                    _lastFromProvider[zone] = forecast;
                    Publish(zone, provider.Name, forecast, ForecastOrigin.Fresh, now, null, null);
                    return;
                }

                error = ProviderErrorKind.NoData;
            }
            catch (IntensityProviderException e)
            {
                error = e.Kind;
                if (e.RetryAfter is { } retryAfter && retryAfter > TimeSpan.FromSeconds(options.Value.MaxRetryAfterSeconds))
                {
                    nextAttempt = now + retryAfter;
                }

                LogProviderFailed(logger, zone, provider.Name, e.Kind, e.Message);
            }
            catch (TimeoutRejectedException)
            {
                error = ProviderErrorKind.Timeout;
                LogProviderFailed(logger, zone, provider.Name, ProviderErrorKind.Timeout, "no answer within the timeout");
            }
            catch (BrokenCircuitException)
            {
                error = ProviderErrorKind.Server;
                LogProviderFailed(logger, zone, provider.Name, ProviderErrorKind.Server, "circuit open after repeated failures");
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // A provider bug must not stop the refresh of other zones, nor the host.
                error = ProviderErrorKind.Malformed;
                LogProviderFailed(logger, zone, provider.Name, ProviderErrorKind.Malformed, e.Message);
            }

            _errors.AddOrUpdate((provider.Name, error.Value), 1, (_, count) => count + 1);
        }

        await FallBackAsync(zone, provider.Name, now, error, nextAttempt, cancellationToken).ConfigureAwait(false);
    }

    private async Task FallBackAsync(string zone, string providerName, DateTimeOffset now, ProviderErrorKind? error, DateTimeOffset? nextAttempt, CancellationToken cancellationToken)
    {
        var staleness = TimeSpan.FromMinutes(options.Value.StalenessLimitMinutes);
        if (_lastFromProvider.TryGetValue(zone, out var last) && now - last.IssuedAt <= staleness && last.Series.End > now)
        {
            Publish(zone, providerName, last, ForecastOrigin.Stale, now, error, nextAttempt);
            return;
        }

        if (_actuals.TryGetValue(zone, out var history))
        {
            List<IntensityReading> readings;
            lock (history)
            {
                readings = [.. history];
            }

            if (forecaster.Forecast(readings, now, OwnForecastHorizon) is { } own)
            {
                Publish(zone, providerName, new IntensityForecast(zone, own, now, $"own ({providerName} actuals)"), ForecastOrigin.Own, now, error, nextAttempt);
                return;
            }
        }

        var profileForecast = await profiles.GetForecastAsync(zone, now, cancellationToken).ConfigureAwait(false);
        Publish(
            zone,
            providerName,
            profileForecast is null ? null : profileForecast with { Source = $"profile (fallback for {providerName})" },
            ForecastOrigin.Profile,
            now,
            error,
            nextAttempt);
    }

    private void Publish(string zone, string provider, IntensityForecast? forecast, ForecastOrigin origin, DateTimeOffset now, ProviderErrorKind? error, DateTimeOffset? nextAttempt)
    {
        var previous = _status.GetValueOrDefault(zone);
        if (forecast is null)
        {
            cache.Remove(zone);
        }
        else
        {
            var published = forecast.Zone == zone ? forecast : forecast with { Zone = zone };
            cache.Set(published);
            errors.Issued(published);
        }

        _status[zone] = new ZoneStatus(
            zone,
            provider,
            forecast is null ? null : origin,
            origin == ForecastOrigin.Fresh || (origin == ForecastOrigin.Profile && error is null) ? now : previous?.LastSuccess,
            error,
            nextAttempt);
    }

    /// <summary>
    /// Fetches the actuals since the last ones held (the fitting window at first), keeps that window,
    /// and scores the forecasts issued so far against them. A failure only costs this round's actuals.
    /// </summary>
    private async Task CollectActualsAsync(string zone, IIntensityProvider provider, DateTimeOffset now, ZoneStatus? previous, CancellationToken cancellationToken)
    {
        if (previous?.NextAttempt is { } waitUntil && waitUntil > now)
        {
            return;
        }

        var keep = TimeSpan.FromDays(options.Value.ActualsDays);
        var history = _actuals.GetOrAdd(zone, _ => []);
        DateTimeOffset from;
        lock (history)
        {
            from = history.Count > 0 ? history[^1].Time + history[^1].Duration : now - keep;
        }

        if (now - from < TimeSpan.FromMinutes(15))
        {
            return;
        }

        // Providers cap the span of one history request (Electricity Maps' past-range: 10 days), so
        // the first fill goes in weekly pieces; a failed piece ends this round with what was read.
        var fresh = new List<IntensityReading>();
        for (var pieceStart = from; pieceStart < now; pieceStart += ActualsPiece)
        {
            var pieceEnd = pieceStart + ActualsPiece < now ? pieceStart + ActualsPiece : now;
            try
            {
                // A pipeline of its own, so the actuals endpoint's health does not mask the forecast's in the circuit breaker.
                var piece = await pipelines.For(provider.Name + ":actuals").ExecuteAsync(
                    async token => await provider.GetActualsAsync(zone, pieceStart, pieceEnd, token).ConfigureAwait(false),
                    cancellationToken).ConfigureAwait(false);
                fresh.AddRange(piece);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                LogActualsFailed(logger, zone, provider.Name, e.Message);
                break;
            }
        }

        var added = new List<IntensityReading>();
        lock (history)
        {
            foreach (var reading in fresh.Where(r => r.Time >= from).OrderBy(r => r.Time))
            {
                if (history.Count == 0 || reading.Time > history[^1].Time)
                {
                    history.Add(reading);
                    added.Add(reading);
                }
            }

            history.RemoveAll(r => now - r.Time > keep);
        }

        errors.Actuals(zone, fresh);
        ActualsRead?.Invoke(this, new ZoneActuals(zone, provider.Name, added));
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Zone {Zone}: actuals from {Provider} not read this round: {Reason}")]
    private static partial void LogActualsFailed(ILogger logger, string zone, string provider, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Zone {Zone}: provider {Provider} failed ({Kind}): {Reason}; using the fallback chain")]
    private static partial void LogProviderFailed(ILogger logger, string zone, string provider, ProviderErrorKind kind, string reason);
}
