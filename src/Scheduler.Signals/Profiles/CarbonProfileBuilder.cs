using System.Globalization;
using Scheduler.Signals.Intensity;

namespace Scheduler.Signals.Profiles;

/// <summary>
/// Derives a <see cref="CarbonProfile"/> from a year (or more) of intensity readings: the mean of
/// every reading that falls in each (month, weekday, time-of-day slot) of the zone's local time.
/// Cells without readings take the month's mean for that slot, then the year's.
/// </summary>
public static class CarbonProfileBuilder
{
    /// <summary>Builds the profile of <paramref name="zone"/>.</summary>
    /// <exception cref="ArgumentException">No rows, or a step that does not divide a day.</exception>
    public static CarbonProfile Build(
        string zone,
        TimeZoneInfo timeZone,
        IReadOnlyList<IntensityRow> rows,
        string source,
        string signal,
        int stepMinutes = 30)
    {
        ArgumentNullException.ThrowIfNull(timeZone);
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count == 0)
        {
            throw new ArgumentException("A profile needs at least one reading.", nameof(rows));
        }

        if (stepMinutes <= 0 || (24 * 60) % stepMinutes != 0)
        {
            throw new ArgumentException($"A step of {stepMinutes} minutes does not divide a day.", nameof(stepMinutes));
        }

        var slots = 24 * 60 / stepMinutes;
        var sums = new double[12, 7, slots];
        var counts = new int[12, 7, slots];
        var first = DateTime.MaxValue;
        var last = DateTime.MinValue;
        foreach (var row in rows)
        {
            var local = row.LocalIn(timeZone);
            var slot = ((local.Hour * 60) + local.Minute) / stepMinutes;
            sums[local.Month - 1, (int)local.DayOfWeek, slot] += row.GramsPerKwh;
            counts[local.Month - 1, (int)local.DayOfWeek, slot]++;
            first = local < first ? local : first;
            last = local > last ? local : last;
        }

        var means = new double[12][][];
        for (var month = 0; month < 12; month++)
        {
            means[month] = new double[7][];
            for (var day = 0; day < 7; day++)
            {
                means[month][day] = new double[slots];
                for (var slot = 0; slot < slots; slot++)
                {
                    var mean = counts[month, day, slot] > 0
                        ? sums[month, day, slot] / counts[month, day, slot]
                        : Fallback(sums, counts, month, slot);
                    means[month][day][slot] = Math.Round(mean, 1);
                }
            }
        }

        return new CarbonProfile
        {
            Zone = zone,
            TimeZone = timeZone.Id,
            StepMinutes = stepMinutes,
            Provenance = new CarbonProfileProvenance
            {
                Source = source,
                Signal = signal,
                Method = $"arithmetic mean of the readings in each (month, weekday, {stepMinutes}-minute slot) of {timeZone.Id} local time; " +
                         "cells without readings use the month's mean for the slot, then the mean for the slot over all months",
                From = first.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture),
                To = last.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture),
                Rows = rows.Count,
            },
            Means = means,
        };
    }

    private static double Fallback(double[,,] sums, int[,,] counts, int month, int slot)
    {
        double sum = 0;
        var count = 0;
        for (var day = 0; day < 7; day++)
        {
            sum += sums[month, day, slot];
            count += counts[month, day, slot];
        }

        if (count > 0)
        {
            return sum / count;
        }

        for (var m = 0; m < 12; m++)
        {
            for (var day = 0; day < 7; day++)
            {
                sum += sums[m, day, slot];
                count += counts[m, day, slot];
            }
        }

        return count > 0 ? sum / count : 0;
    }
}
