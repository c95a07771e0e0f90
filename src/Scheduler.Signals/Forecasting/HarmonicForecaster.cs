using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearRegression;
using Scheduler.Core.Intensity;
using Scheduler.Signals.Intensity;

namespace Scheduler.Signals.Forecasting;

/// <summary>
/// Our own forecast for zones whose provider gives only actuals (or too short a horizon): a
/// harmonic regression of the recent history on daily and weekly cycles, fitted by least squares,
/// plus the current departure from that fit, fading with time. Grid intensity follows the daily
/// load and solar cycle and the working week, and its weather-driven departures persist for hours,
/// which is what the two parts capture.
/// </summary>
public sealed class HarmonicForecaster(HarmonicForecastOptions options)
{
    private static readonly DateTimeOffset Epoch = new(2000, 1, 3, 0, 0, 0, TimeSpan.Zero); // a Monday

    /// <summary>
    /// The forecast from <paramref name="issuedAt"/> over <paramref name="horizon"/>, using only the
    /// readings before <paramref name="issuedAt"/>; <c>null</c> when there is too little history.
    /// </summary>
    public IntensitySeries? Forecast(IReadOnlyList<IntensityReading> history, DateTimeOffset issuedAt, TimeSpan horizon)
    {
        ArgumentNullException.ThrowIfNull(history);
        var fitFrom = issuedAt - TimeSpan.FromDays(options.FitDays);
        var samples = history.Where(r => r.Time >= fitFrom && r.Time < issuedAt && double.IsFinite(r.GramsPerKwh)).ToList();
        if (samples.Count == 0 || (issuedAt - samples.Min(r => r.Time)).TotalDays < options.MinimumHistoryDays)
        {
            return null;
        }

        var features = 1 + (2 * options.DailyHarmonics) + (2 * options.WeeklyHarmonics);
        if (samples.Count < features * 3)
        {
            return null;
        }

        var design = Matrix<double>.Build.Dense(samples.Count, features, (row, column) => Feature(Midpoint(samples[row]), column));
        var observed = Vector<double>.Build.Dense(samples.Count, i => samples[i].GramsPerKwh);
        var coefficients = MultipleRegression.QR(design, observed);

        double Seasonal(DateTimeOffset time)
        {
            var sum = 0.0;
            for (var column = 0; column < features; column++)
            {
                sum += coefficients[column] * Feature(time, column);
            }

            return sum;
        }

        var levelFrom = issuedAt - TimeSpan.FromHours(options.LevelWindowHours);
        var recent = samples.Where(r => r.Time >= levelFrom).ToList();
        var departure = recent.Count == 0 ? 0 : recent.Average(r => r.GramsPerKwh - Seasonal(Midpoint(r)));

        var byTime = new Dictionary<DateTimeOffset, double>();
        foreach (var sample in samples)
        {
            byTime[Midpoint(sample)] = sample.GramsPerKwh;
        }

        var step = TimeSpan.FromMinutes(options.StepMinutes);
        var start = new DateTimeOffset(issuedAt.UtcTicks - (issuedAt.UtcTicks % step.Ticks), TimeSpan.Zero);
        var count = (int)Math.Ceiling((issuedAt + horizon - start) / step);
        var values = new double[Math.Max(1, count)];
        for (var i = 0; i < values.Length; i++)
        {
            var time = start + (step * i) + (step / 2);
            var fade = Math.Exp(-Math.Max(0, (time - issuedAt).TotalHours) / options.LevelDecayHours);
            var fitted = Seasonal(time) + (departure * fade);
            values[i] = Math.Max(0, RecentDaysMean(byTime, time, issuedAt) is { } sameTime
                ? ((1 - options.RecentDaysWeight) * fitted) + (options.RecentDaysWeight * sameTime)
                : fitted);
        }

        return new IntensitySeries(start, step, values);
    }

    /// <summary>The mean at the same time of day on the latest days before the issue time, if any was read.</summary>
    private double? RecentDaysMean(Dictionary<DateTimeOffset, double> byTime, DateTimeOffset time, DateTimeOffset issuedAt)
    {
        var daysBack = (int)Math.Ceiling((time - issuedAt).TotalDays + 1e-9);
        double sum = 0;
        var count = 0;
        for (var d = Math.Max(1, daysBack); d < Math.Max(1, daysBack) + options.RecentDays; d++)
        {
            if (byTime.TryGetValue(time.AddDays(-d), out var value))
            {
                sum += value;
                count++;
            }
        }

        return count > 0 ? sum / count : null;
    }

    private static DateTimeOffset Midpoint(IntensityReading reading) => reading.Time + (reading.Duration / 2);

    private double Feature(DateTimeOffset time, int column)
    {
        if (column == 0)
        {
            return 1;
        }

        var days = (time - Epoch).TotalDays;
        var index = column - 1;
        if (index < 2 * options.DailyHarmonics)
        {
            var k = (index / 2) + 1;
            var angle = 2 * Math.PI * k * days;
            return index % 2 == 0 ? Math.Sin(angle) : Math.Cos(angle);
        }

        index -= 2 * options.DailyHarmonics;
        var w = (index / 2) + 1;
        var weekAngle = 2 * Math.PI * w * days / 7;
        return index % 2 == 0 ? Math.Sin(weekAngle) : Math.Cos(weekAngle);
    }
}
