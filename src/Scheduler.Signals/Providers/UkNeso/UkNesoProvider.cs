using System.Globalization;
using System.Text.Json;
using Scheduler.Core.Intensity;
using Scheduler.Signals.Intensity;
using Scheduler.Signals.Providers.Common;

namespace Scheduler.Signals.Providers.UkNeso;

/// <summary>
/// Forecasts and actuals from the UK NESO Carbon Intensity API (<c>api.carbonintensity.org.uk</c>):
/// the national 48 h forecast, or a DNO region's when <see cref="CarbonZoneOptions.Region"/> holds a
/// region id (1..17). Half-hour steps, gCO2/kWh of generation, no authentication.
/// </summary>
public sealed class UkNesoProvider : IIntensityProvider
{
    /// <summary>The public API, used when no URL is configured.</summary>
    public static readonly Uri DefaultBaseUrl = new("https://api.carbonintensity.org.uk/");

    /// <summary>The longest span <c>/intensity/{from}/{to}</c> accepts.</summary>
    public static readonly TimeSpan MaxActualsSpan = TimeSpan.FromDays(14);

    // The API writes and reads times as UTC minutes with a Z, e.g. 2023-12-03T10:30Z.
    private const string UrlTimeFormat = "yyyy-MM-ddTHH:mm'Z'";
    private const int MaxRegionId = 17;
    private static readonly TimeSpan SettlementPeriod = TimeSpan.FromMinutes(30);

    private readonly HttpClient _http;
    private readonly TimeProvider _time;
    private readonly Uri _baseUrl;
    private readonly string? _region;

    /// <summary>Creates the provider.</summary>
    /// <param name="http">The client to send requests with; its lifetime is the caller's.</param>
    /// <param name="options">The zone's settings: <c>Url</c> (optional) and <c>Region</c> (optional region id).</param>
    /// <param name="time">The clock, for Retry-After dates.</param>
    public UkNesoProvider(HttpClient http, CarbonZoneOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        _http = http;
        _time = time;
        _baseUrl = BaseUrl(options.Url);
        _region = string.IsNullOrWhiteSpace(options.Region) ? null : options.Region.Trim();
    }

    /// <inheritdoc />
    public string Name => "ukneso";

    /// <inheritdoc />
    public async Task<IntensityForecast?> GetForecastAsync(string zone, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var from = ProviderHttp.Format(now, UrlTimeFormat);
        var regionId = RegionId();
        var path = regionId is { } id
            ? $"regional/intensity/{from}/fw48h/regionid/{id.ToString(CultureInfo.InvariantCulture)}"
            : $"intensity/{from}/fw48h";
        var uri = new Uri(_baseUrl, path);
        using var document = await ProviderHttp.GetJsonAsync(_http, uri, Name, null, _time, cancellationToken).ConfigureAwait(false)
            ?? throw new IntensityProviderException(Name, ProviderErrorKind.NoData, $"{uri.AbsolutePath} answered 204 No Content");
        try
        {
            var entries = regionId is { } region ? RegionalEntries(document.RootElement, region) : NationalEntries(document.RootElement);
            var points = entries.Select(e => ReadEntry(e, "forecast")).ToList();
            var series = ContiguousSeries.Build(points, uri.AbsolutePath, out _);
            return new IntensityForecast(zone, series, now, Name, IntensitySignal.Average);
        }
        catch (Exception e) when (e is FormatException or KeyNotFoundException or InvalidOperationException)
        {
            throw new IntensityProviderException(Name, ProviderErrorKind.Malformed, $"{uri.AbsolutePath}: {e.Message}", inner: e);
        }
    }

    /// <inheritdoc />
    /// <remarks>
    /// Only the national series has measured values: the regional endpoints carry <c>forecast</c> only,
    /// so a regional zone has no actuals and gets an empty list. Half-hours whose <c>actual</c> is
    /// still null (not yet measured) are skipped.
    /// </remarks>
    public async Task<IReadOnlyList<IntensityReading>> GetActualsAsync(string zone, DateTimeOffset periodStart, DateTimeOffset periodEnd, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(zone);
        if (RegionId() is not null || periodEnd <= periodStart)
        {
            return [];
        }

        var readings = new SortedDictionary<DateTimeOffset, IntensityReading>();

        // How the API treats a {from} inside a half-hour is not documented, so the request reaches
        // one period further back and the answer is clipped here; spans over the API's 14-day limit
        // are asked for in pieces.
        var chunkStart = periodStart - SettlementPeriod;
        while (chunkStart < periodEnd)
        {
            var chunkEnd = chunkStart + MaxActualsSpan < periodEnd ? chunkStart + MaxActualsSpan : periodEnd;
            var uri = new Uri(_baseUrl, $"intensity/{ProviderHttp.Format(chunkStart, UrlTimeFormat)}/{ProviderHttp.Format(chunkEnd, UrlTimeFormat)}");
            using (var document = await ProviderHttp.GetJsonAsync(_http, uri, Name, null, _time, cancellationToken).ConfigureAwait(false))
            {
                if (document is not null)
                {
                    AddActuals(document.RootElement, uri, periodStart, periodEnd, readings);
                }
            }

            chunkStart = chunkEnd;
        }

        return readings.Values.ToList();
    }

    private static Uri BaseUrl(string? url)
    {
        var text = string.IsNullOrWhiteSpace(url) ? DefaultBaseUrl.ToString() : url.Trim();

        // Relative paths resolve under the base only when it ends with a slash.
        return new Uri(text.EndsWith('/') ? text : text + "/", UriKind.Absolute);
    }

    private static IEnumerable<JsonElement> NationalEntries(JsonElement root) =>
        root.GetProperty("data") is { ValueKind: JsonValueKind.Array } data
            ? data.EnumerateArray()
            : throw new FormatException("'data' is not an array");

    private static IEnumerable<JsonElement> RegionalEntries(JsonElement root, int regionId)
    {
        // The live fw48h/regionid answer has 'data' as one region object; the published API
        // definitions show an array of region objects. Both are accepted (carbon-sources.md §2.3).
        var data = root.GetProperty("data");
        JsonElement region;
        if (data.ValueKind == JsonValueKind.Object)
        {
            region = data;
        }
        else if (data.ValueKind == JsonValueKind.Array)
        {
            var regions = data.EnumerateArray().ToList();
            if (regions.Count == 0)
            {
                throw new FormatException($"'data' lists no region (asked for region {regionId})");
            }

            region = regions.FirstOrDefault(r => r.ValueKind == JsonValueKind.Object
                && r.TryGetProperty("regionid", out var id) && id.ValueKind == JsonValueKind.Number && id.GetInt32() == regionId);
            if (region.ValueKind == JsonValueKind.Undefined)
            {
                region = regions[0];
            }
        }
        else
        {
            throw new FormatException("'data' is neither a region object nor an array of them");
        }

        return region.GetProperty("data") is { ValueKind: JsonValueKind.Array } entries
            ? entries.EnumerateArray()
            : throw new FormatException("the region's 'data' is not an array");
    }

    private static TimedValue ReadEntry(JsonElement entry, string field)
    {
        var from = ParseTime(entry.GetProperty("from"));
        var to = ParseTime(entry.GetProperty("to"));
        var value = entry.GetProperty("intensity").TryGetProperty(field, out var v) && v.ValueKind == JsonValueKind.Number
            ? v.GetDouble()
            : (double?)null;
        return new TimedValue(from, to - from, value);
    }

    private static DateTimeOffset ParseTime(JsonElement element) =>
        element.ValueKind == JsonValueKind.String
        && DateTimeOffset.TryParse(element.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time)
            ? time
            : throw new FormatException($"'{element}' is not a time");

    private void AddActuals(JsonElement root, Uri uri, DateTimeOffset periodStart, DateTimeOffset periodEnd, SortedDictionary<DateTimeOffset, IntensityReading> readings)
    {
        try
        {
            foreach (var entry in NationalEntries(root))
            {
                var point = ReadEntry(entry, "actual");
                if (point.Value is { } value && point.Time < periodEnd && point.Time + point.Duration > periodStart)
                {
                    readings[point.Time] = new IntensityReading(point.Time, point.Duration, value);
                }
            }
        }
        catch (Exception e) when (e is FormatException or KeyNotFoundException or InvalidOperationException)
        {
            throw new IntensityProviderException(Name, ProviderErrorKind.Malformed, $"{uri.AbsolutePath}: {e.Message}", inner: e);
        }
    }

    private int? RegionId()
    {
        if (_region is null)
        {
            return null;
        }

        return int.TryParse(_region, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id is >= 1 and <= MaxRegionId
            ? id
            : throw new IntensityProviderException(Name, ProviderErrorKind.NoData, $"unknown region '{_region}'; NESO region ids are 1 to {MaxRegionId}");
    }
}
