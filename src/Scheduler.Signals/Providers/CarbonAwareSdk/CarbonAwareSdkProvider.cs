using System.Globalization;
using System.Text.Json;
using Scheduler.Core.Intensity;
using Scheduler.Signals.Intensity;
using Scheduler.Signals.Providers.Common;

namespace Scheduler.Signals.Providers.CarbonAwareSdk;

/// <summary>
/// Forecasts and actuals from a Green Software Foundation Carbon Aware SDK WebAPI:
/// <c>/emissions/forecasts/current</c> and <c>/emissions/bylocation</c>. The SDK's location is
/// <see cref="CarbonZoneOptions.Region"/>, or the zone name when that is not set.
/// </summary>
/// <remarks>
/// The SDK has no public instance, so <see cref="CarbonZoneOptions.Url"/> is required. A token file,
/// when configured, is sent as a bearer token for deployments behind a gateway; the WebAPI itself
/// has no authentication.
/// </remarks>
public sealed class CarbonAwareSdkProvider : IIntensityProvider
{
    private const string UrlTimeFormat = "yyyy-MM-ddTHH:mm:ss'Z'";

    private readonly HttpClient _http;
    private readonly TimeProvider _time;
    private readonly Uri _baseUrl;
    private readonly string? _location;
    private readonly string? _tokenFile;

    /// <summary>Creates the provider.</summary>
    /// <param name="http">The client to send requests with; its lifetime is the caller's.</param>
    /// <param name="options">The zone's settings: <c>Url</c> (required), <c>Region</c> and <c>TokenFile</c> (optional).</param>
    /// <param name="time">The clock, for Retry-After dates.</param>
    /// <exception cref="ArgumentException"><c>Url</c> is missing or not an absolute URL.</exception>
    public CarbonAwareSdkProvider(HttpClient http, CarbonZoneOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        if (string.IsNullOrWhiteSpace(options.Url) || !Uri.TryCreate(options.Url.Trim(), UriKind.Absolute, out _))
        {
            throw new ArgumentException("The Carbon Aware SDK has no public instance: set Url to the WebAPI's base URL.", nameof(options));
        }

        var url = options.Url.Trim();
        _http = http;
        _time = time;
        _baseUrl = new Uri(url.EndsWith('/') ? url : url + "/", UriKind.Absolute);
        _location = string.IsNullOrWhiteSpace(options.Region) ? null : options.Region.Trim();
        _tokenFile = options.TokenFile;
    }

    /// <inheritdoc />
    public string Name => "carbonawaresdk";

    /// <inheritdoc />
    /// <remarks>
    /// No <c>windowSize</c> is sent: with one, <c>forecastData</c> holds rolling averages instead of
    /// the raw forecast (carbon-sources.md §1.5).
    /// </remarks>
    public async Task<IntensityForecast?> GetForecastAsync(string zone, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var location = _location ?? zone;
        var uri = new Uri(_baseUrl, $"emissions/forecasts/current?location={Uri.EscapeDataString(location)}");
        var token = ProviderHttp.ReadToken(_tokenFile, Name);
        using var document = await ProviderHttp.GetJsonAsync(_http, uri, Name, token, _time, cancellationToken).ConfigureAwait(false)
            ?? throw new IntensityProviderException(Name, ProviderErrorKind.NoData, $"{uri.AbsolutePath} answered 204 No Content for '{location}'");
        try
        {
            var forecast = PickForecast(document.RootElement, location);
            var data = forecast.GetProperty("forecastData");
            if (data.ValueKind != JsonValueKind.Array)
            {
                throw new FormatException("'forecastData' is not an array");
            }

            var points = data.EnumerateArray().Select(p => ReadPoint(p, "timestamp", "value")).ToList();
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
    /// The answer is clipped to the period here: the SDK has returned far more than was asked for
    /// (issue #570) and its JSON source widens every query by a day.
    /// </remarks>
    public async Task<IReadOnlyList<IntensityReading>> GetActualsAsync(string zone, DateTimeOffset periodStart, DateTimeOffset periodEnd, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(zone);
        if (periodEnd <= periodStart)
        {
            return [];
        }

        var location = _location ?? zone;

        // bylocation reads time/toTime; startTime/endTime are silently ignored there (§1.5).
        var uri = new Uri(_baseUrl, string.Create(
            CultureInfo.InvariantCulture,
            $"emissions/bylocation?location={Uri.EscapeDataString(location)}&time={Uri.EscapeDataString(ProviderHttp.Format(periodStart, UrlTimeFormat))}&toTime={Uri.EscapeDataString(ProviderHttp.Format(periodEnd, UrlTimeFormat))}"));
        var token = ProviderHttp.ReadToken(_tokenFile, Name);
        using var document = await ProviderHttp.GetJsonAsync(_http, uri, Name, token, _time, cancellationToken).ConfigureAwait(false);
        if (document is null)
        {
            return []; // 204: the SDK's way of saying it has no data for the period.
        }

        try
        {
            if (document.RootElement.ValueKind != JsonValueKind.Array)
            {
                throw new FormatException("the answer is not an array of emissions data");
            }

            var readings = document.RootElement.EnumerateArray()
                .Select(p => ReadPoint(p, "time", "rating"))
                .Where(p => p.Value is not null && p.Time < periodEnd && p.Time + p.Duration > periodStart)
                .Select(p => (p.Time, Value: new IntensityReading(p.Time, p.Duration, p.Value!.Value)));
            return [.. TimedPoints.OnePerTime(readings, time => new FormatException(string.Create(CultureInfo.InvariantCulture, $"the answer has two different readings at {time:O}"))).Select(p => p.Value)];
        }
        catch (Exception e) when (e is FormatException or KeyNotFoundException or InvalidOperationException)
        {
            throw new IntensityProviderException(Name, ProviderErrorKind.Malformed, $"{uri.AbsolutePath}: {e.Message}", inner: e);
        }
    }

    private static JsonElement PickForecast(JsonElement root, string location)
    {
        if (root.ValueKind != JsonValueKind.Array)
        {
            throw new FormatException("the answer is not an array of forecasts");
        }

        var forecasts = root.EnumerateArray().ToList();
        if (forecasts.Count == 0)
        {
            throw new FormatException($"the answer holds no forecast for '{location}'");
        }

        var match = forecasts.FirstOrDefault(f => f.ValueKind == JsonValueKind.Object
            && f.TryGetProperty("location", out var l) && string.Equals(l.GetString(), location, StringComparison.OrdinalIgnoreCase));
        return match.ValueKind == JsonValueKind.Undefined ? forecasts[0] : match;
    }

    private static TimedValue ReadPoint(JsonElement point, string timeField, string valueField)
    {
        var timeElement = point.GetProperty(timeField);
        if (timeElement.ValueKind != JsonValueKind.String
            || !DateTimeOffset.TryParse(timeElement.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time))
        {
            throw new FormatException($"'{timeElement}' is not a time");
        }

        var value = point.GetProperty(valueField) is { ValueKind: JsonValueKind.Number } v ? v.GetDouble() : (double?)null;
        var duration = point.TryGetProperty("duration", out var d) ? ReadDuration(d) : TimeSpan.Zero;
        return new TimedValue(time, duration, value);
    }

    /// <summary>
    /// The forecast DTOs carry <c>duration</c> as whole minutes, <c>/emissions/bylocation</c> as a
    /// TimeSpan string such as <c>01:00:00</c> (carbon-sources.md §1.5); both are read everywhere, so a
    /// version that changes one of them still parses.
    /// </summary>
    private static TimeSpan ReadDuration(JsonElement duration) => duration.ValueKind switch
    {
        JsonValueKind.Number => TimeSpan.FromMinutes(duration.GetDouble()),
        JsonValueKind.String when TimeSpan.TryParse(duration.GetString(), CultureInfo.InvariantCulture, out var span) => span,
        JsonValueKind.Null => TimeSpan.Zero,
        _ => throw new FormatException($"'{duration}' is not a duration"),
    };
}
