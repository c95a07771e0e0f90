using System.Globalization;
using System.Text;

namespace Scheduler.Reliability.Tests.Support;

/// <summary>
/// Answers of Electricity Maps and WattTime for the current time, in the shapes documented in carbon-sources.md
/// (§2.1 and §2.2) and used by the providers' own tests. <c>issue</c> moves the values a little, so that
/// each issue is a new forecast the service records in its ledger.
/// </summary>
internal static class ProviderBodies
{
    private const string Iso = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    /// <summary>Electricity Maps <c>forecast</c>: hourly from the current hour for 48 hours.</summary>
    public static string ElectricityMapsForecast(string zone, DateTimeOffset now, int issue)
    {
        var hour = Floor(now, TimeSpan.FromHours(1));
        var points = new StringBuilder();
        for (var i = 0; i < 48; i++)
        {
            var value = 300 + (60 * Math.Sin(i / 24.0 * 2 * Math.PI)) + (issue % 10);
            points.Append(i == 0 ? string.Empty : ",").Append(CultureInfo.InvariantCulture,
                $$"""{"carbonIntensity":{{Math.Round(value, 1)}},"datetime":"{{(hour + TimeSpan.FromHours(i)).ToString(Iso, CultureInfo.InvariantCulture)}}"}""");
        }

        return $$"""{"zone":"{{zone}}","forecast":[{{points}}],"updatedAt":"{{now.UtcDateTime.ToString(Iso, CultureInfo.InvariantCulture)}}"}""";
    }

    /// <summary>Electricity Maps <c>history</c>: the last 24 full hours.</summary>
    public static string ElectricityMapsHistory(string zone, DateTimeOffset now)
    {
        var hour = Floor(now, TimeSpan.FromHours(1));
        var points = Enumerable.Range(1, 24).Reverse().Select(i => Actual(zone, hour - TimeSpan.FromHours(i), 280 + i));
        return $$"""{"zone":"{{zone}}","history":[{{string.Join(",", points)}}]}""";
    }

    /// <summary>Electricity Maps <c>latest</c>: the current hour.</summary>
    public static string ElectricityMapsLatest(string zone, DateTimeOffset now) => Actual(zone, Floor(now, TimeSpan.FromHours(1)), 290);

    /// <summary>WattTime v3 <c>forecast</c>: 5-minute points from the current period for 24 hours, lbs/MWh.</summary>
    public static string WattTimeForecast(string region, DateTimeOffset now, int issue)
    {
        var start = Floor(now, TimeSpan.FromMinutes(5));
        var points = Enumerable.Range(0, 288).Select(i => string.Create(CultureInfo.InvariantCulture,
            $$"""{"point_time":"{{(start + TimeSpan.FromMinutes(5 * i)).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture)}}","value":{{900 + (i % 12) + (issue % 10)}}}"""));
        return WattTimeBody(region, points, start);
    }

    /// <summary>WattTime v3 <c>historical</c>: 5-minute points over the last day.</summary>
    public static string WattTimeHistorical(string region, DateTimeOffset now)
    {
        var end = Floor(now, TimeSpan.FromMinutes(5));
        var points = Enumerable.Range(1, 288).Reverse().Select(i => string.Create(CultureInfo.InvariantCulture,
            $$"""{"point_time":"{{(end - TimeSpan.FromMinutes(5 * i)).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture)}}","value":{{880 + (i % 7)}}}"""));
        return WattTimeBody(region, points, end);
    }

    private static string WattTimeBody(string region, IEnumerable<string> points, DateTimeOffset generated) => $$$"""
        {"data":[{{{string.Join(",", points)}}}],
         "meta":{"region":"{{{region}}}","signal_type":"co2_moer","model":{"date":"2023-03-01"},"units":"lbs_co2_per_mwh",
                 "generated_at":"{{{generated.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture)}}}","generated_at_period_seconds":300,"data_point_period_seconds":300,"warnings":[]}}
        """;

    private static string Actual(string zone, DateTimeOffset at, double value) => string.Create(CultureInfo.InvariantCulture,
        $$"""{"zone":"{{zone}}","carbonIntensity":{{value}},"datetime":"{{at.ToString(Iso, CultureInfo.InvariantCulture)}}","updatedAt":"{{(at + TimeSpan.FromMinutes(50)).ToString(Iso, CultureInfo.InvariantCulture)}}","createdAt":"{{(at - TimeSpan.FromDays(3)).ToString(Iso, CultureInfo.InvariantCulture)}}","emissionFactorType":"lifecycle","isEstimated":false,"estimationMethod":null}""");

    private static DateTimeOffset Floor(DateTimeOffset time, TimeSpan step) => new(time.UtcTicks - (time.UtcTicks % step.Ticks), TimeSpan.Zero);
}
