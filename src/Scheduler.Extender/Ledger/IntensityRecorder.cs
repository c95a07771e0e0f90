using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Scheduler.Core.Accounting;
using Scheduler.Core.Intensity;
using Scheduler.Signals.Intensity;

namespace Scheduler.Extender.Ledger;

/// <summary>
/// Records the intensities that savings are later computed from, through <see cref="BufferedLedgerWriter"/> (the
/// refresh never waits for the database):
/// <list type="bullet">
/// <item>each forecast issue of a zone (<see cref="IntensityCache.ForecastIssued"/>), from the step in force when it
/// was issued to its end, under its issue time. An issue that repeats the last one recorded for the zone (same
/// source, same values on the steps both cover) is skipped until <see cref="LedgerOptions.ForecastIntervalMinutes"/>
/// have passed, since profiles and files are issued again on every refresh;</item>
/// <item>the actual intensities the zone's provider reports (<see cref="IntensityService.ActualsRead"/>), each step
/// once it has ended. A zone's steps are recorded once: the last actual step recorded is remembered per zone, and a
/// step read before it ended waits here until it has.</item>
/// </list>
/// Nothing from a built-in profile is ever recorded as actual: a profile is a statistic of past years, not a
/// measurement. Actuals come only from a provider's measured values, which the profile provider has none of; a
/// forecast's values (a provider's, our own, or a profile's) are recorded as a forecast only.
/// </summary>
/// <remarks>
/// It subscribes while the host is starting (<see cref="StartingAsync"/>), before any hosted service starts, so the
/// first refresh (which <see cref="IntensityRefresher"/> makes before the host has started) is recorded too.
/// </remarks>
internal sealed partial class IntensityRecorder(
    IntensityCache cache,
    IntensityService intensity,
    ProfileIntensityProvider profiles,
    BufferedLedgerWriter writer,
    IOptions<LedgerOptions> options,
    TimeProvider time,
    ILogger<IntensityRecorder> logger) : IHostedLifecycleService
{
    private readonly Lock _gate = new();

    // Guarded by _gate.
    private readonly Dictionary<string, ZoneRecord> _zones = new(StringComparer.OrdinalIgnoreCase);
    private int _subscribed;

    /// <inheritdoc />
    public Task StartingAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _subscribed, 1) == 0)
        {
            cache.ForecastIssued += OnForecastIssued;
            intensity.ActualsRead += OnActualsRead;
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    /// <remarks>Records the forecasts already in the cache (issued before it subscribed); a forecast recorded already is not recorded twice.</remarks>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var forecast in cache.Snapshot())
        {
            OnForecastIssued(cache, forecast.Zone);
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _subscribed, 0) == 1)
        {
            cache.ForecastIssued -= OnForecastIssued;
            intensity.ActualsRead -= OnActualsRead;
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>The steps of <paramref name="forecast"/> from the one in force at its issue time on, as points.</summary>
    internal static List<IntensityPoint> IssuedPoints(IntensityForecast forecast)
    {
        var series = forecast.Series;
        var points = new List<IntensityPoint>(series.Count);
        for (var i = 0; i < series.Count; i++)
        {
            var start = series.Start + (series.Step * i);
            if (start + series.Step > forecast.IssuedAt)
            {
                points.Add(new IntensityPoint(forecast.Zone, start, series[i]));
            }
        }

        return points;
    }

    // Same source, and the same value on every step both cover (and they cover one at least).
    private static bool Repeats(IntensityForecast last, IntensityForecast next)
    {
        if (!string.Equals(last.Source, next.Source, StringComparison.Ordinal) || last.Series.Step != next.Series.Step)
        {
            return false;
        }

        var step = last.Series.Step;
        var offset = next.Series.Start - last.Series.Start;
        if (offset.Ticks % step.Ticks != 0)
        {
            return false;
        }

        var shift = (int)(offset.Ticks / step.Ticks);
        var shared = 0;
        for (var i = Math.Max(0, -shift); i < next.Series.Count && i + shift < last.Series.Count; i++)
        {
            shared++;
            if (next.Series[i] != last.Series[i + shift])
            {
                return false;
            }
        }

        return shared > 0;
    }

    private void OnForecastIssued(object? sender, string zone)
    {
        try
        {
            if (cache.Find(zone) is not { } forecast)
            {
                return;
            }

            lock (_gate)
            {
                var record = Zone(forecast.Zone);
                if (record.LastForecast is { } last
                    && ((last.IssuedAt == forecast.IssuedAt && last.Source == forecast.Source)
                        || (forecast.IssuedAt - last.IssuedAt < TimeSpan.FromMinutes(options.Value.ForecastIntervalMinutes) && Repeats(last, forecast))))
                {
                    return;
                }

                record.LastForecast = forecast;
            }

            writer.RecordForecast(forecast.IssuedAt, IssuedPoints(forecast));
            RecordEndedActuals(forecast.Zone, []);
        }
        catch (Exception e)
        {
            // Recording must never break the refresh that raised the event.
            LogFailed(logger, e, zone);
        }
    }

    private void OnActualsRead(object? sender, ZoneActuals actuals)
    {
        try
        {
            // The profile provider has no actuals (the service never asks it); this keeps it so whatever calls us.
            if (string.Equals(actuals.Provider, profiles.Name, StringComparison.Ordinal))
            {
                return;
            }

            RecordEndedActuals(actuals.Zone, actuals.Readings);
        }
        catch (Exception e)
        {
            LogFailed(logger, e, actuals.Zone);
        }
    }

    // Adds the new readings to the zone's waiting ones, and records those whose step has ended.
    private void RecordEndedActuals(string zone, IReadOnlyList<IntensityReading> readings)
    {
        var now = time.GetUtcNow();
        List<IntensityPoint>? ended = null;
        lock (_gate)
        {
            var record = Zone(zone);
            foreach (var reading in readings)
            {
                if (record.LastActual is not { } last || reading.Time > last)
                {
                    record.Waiting[reading.Time] = reading;
                }
            }

            while (record.Waiting.Count > 0 && record.Waiting.Values[0] is var first && first.Time + first.Duration <= now)
            {
                (ended ??= []).Add(new IntensityPoint(zone, first.Time, first.GramsPerKwh));
                record.LastActual = first.Time;
                record.Waiting.RemoveAt(0);
            }
        }

        if (ended is not null)
        {
            writer.RecordActuals(ended);
        }
    }

    // Guarded by _gate.
    private ZoneRecord Zone(string zone)
    {
        if (!_zones.TryGetValue(zone, out var record))
        {
            record = new ZoneRecord();
            _zones.Add(zone, record);
        }

        return record;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Zone {Zone}: its intensities could not be queued for the carbon ledger")]
    private static partial void LogFailed(ILogger logger, Exception exception, string zone);

    private sealed class ZoneRecord
    {
        public IntensityForecast? LastForecast { get; set; }

        /// <summary>The start of the last actual step recorded.</summary>
        public DateTimeOffset? LastActual { get; set; }

        /// <summary>Readings whose step has not ended yet, by start.</summary>
        public SortedList<DateTimeOffset, IntensityReading> Waiting { get; } = [];
    }
}
