using System.Globalization;
using Scheduler.Core.Intensity;
using Scheduler.Signals.Intensity;
using Scheduler.Signals.Providers.Common;

namespace Scheduler.Signals.Providers.ElectricityMaps;

/// <summary>
/// Average (life-cycle, consumption-based) carbon intensity from the Electricity Maps v3 API:
/// forecasts from <c>/v3/carbon-intensity/forecast</c>, actuals from <c>latest</c>, <c>history</c>
/// (the last 24 h) or <c>past-range</c> (older periods, a paid endpoint).
/// </summary>
/// <remarks>
/// Each call makes exactly one HTTP request; timeouts, retries and circuit breaking are applied
/// around the provider. The token goes in the <c>auth-token</c> header and never into a message.
/// </remarks>
public sealed class ElectricityMapsProvider : IIntensityProvider
{
    /// <summary>The provider's name, used as <see cref="IntensityForecast.Source"/>.</summary>
    public const string ProviderName = "electricitymaps";

    private static readonly ProviderExchange Exchange = new(ProviderName);

    /// <summary>The public API host used when <see cref="CarbonZoneOptions.Url"/> is not set.</summary>
    public static readonly Uri DefaultBaseUrl = new("https://api.electricitymaps.com");

    // The free tier's history endpoint covers the last 24 hours; older periods need past-range.
    private static readonly TimeSpan HistoryReach = TimeSpan.FromHours(24);

    private readonly HttpClient _http;
    private readonly TimeProvider _time;
    private readonly string _baseUrl;
    private readonly string _token;
    private readonly string? _region;
    private readonly string[] _secrets;

    /// <summary>Creates the provider and reads the token file.</summary>
    /// <param name="http">The client to send with; its timeout bounds each call.</param>
    /// <param name="options">The zone's settings: <c>TokenFile</c> (required), <c>Url</c>, <c>Region</c>.</param>
    /// <param name="time">The clock.</param>
    /// <param name="configuredZone">Our id of the zone the options belong to, only to name settings in error messages (e.g. <c>Carbon:Zones:DE:TokenFile</c>).</param>
    /// <exception cref="InvalidOperationException">A setting is missing or invalid, or the token file cannot be read; the message names the setting.</exception>
    public ElectricityMapsProvider(HttpClient http, CarbonZoneOptions options, TimeProvider time, string? configuredZone = null)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        var settings = $"Carbon:Zones:{configuredZone ?? "<zone>"}";
        _http = http;
        _time = time;
        _baseUrl = ProviderSettings.BaseUrl(options.Url, DefaultBaseUrl, $"{settings}:Url");
        _token = ProviderSettings.ReadSecret(options.TokenFile, $"{settings}:TokenFile", "the Electricity Maps API token");
        _region = string.IsNullOrWhiteSpace(options.Region) ? null : options.Region.Trim();
        _secrets = [_token];
    }

    /// <inheritdoc />
    public string Name => ProviderName;

    /// <inheritdoc />
    public async Task<IntensityForecast?> GetForecastAsync(string zone, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(zone);
        var region = _region ?? zone;
        const string What = "GET /v3/carbon-intensity/forecast";
        using var json = await GetJsonAsync($"/v3/carbon-intensity/forecast?zone={Uri.EscapeDataString(region)}", What, cancellationToken).ConfigureAwait(false);
        return Exchange.Parse(What, () => ElectricityMapsJson.ParseForecast(json.RootElement, zone, region, now));
    }

    /// <inheritdoc />
    /// <remarks>
    /// A period within the current hour is read from <c>latest</c>, one within the last 24 h from
    /// <c>history</c>, anything older from <c>past-range</c> (which the API limits to 10 days of hourly data).
    /// Hours the API has no value for are left out.
    /// </remarks>
    public async Task<IReadOnlyList<IntensityReading>> GetActualsAsync(string zone, DateTimeOffset periodStart, DateTimeOffset periodEnd, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(zone);
        if (periodEnd <= periodStart)
        {
            return [];
        }

        var region = Uri.EscapeDataString(_region ?? zone);
        var now = _time.GetUtcNow();
        var currentHour = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, 0, 0, TimeSpan.Zero);
        if (periodStart >= currentHour)
        {
            const string What = "GET /v3/carbon-intensity/latest";
            using var json = await GetJsonAsync($"/v3/carbon-intensity/latest?zone={region}", What, cancellationToken).ConfigureAwait(false);
            return Exchange.Parse(What, () => ElectricityMapsJson.ParseLatest(json.RootElement, _region ?? zone, periodStart, periodEnd));
        }

        if (periodStart >= now - HistoryReach)
        {
            const string What = "GET /v3/carbon-intensity/history";
            using var json = await GetJsonAsync($"/v3/carbon-intensity/history?zone={region}", What, cancellationToken).ConfigureAwait(false);
            return Exchange.Parse(What, () => ElectricityMapsJson.ParseReadings(json.RootElement, "history", _region ?? zone, periodStart, periodEnd));
        }
        else
        {
            const string What = "GET /v3/carbon-intensity/past-range";
            var query = $"zone={region}&start={Iso(periodStart)}&end={Iso(periodEnd)}";
            using var json = await GetJsonAsync($"/v3/carbon-intensity/past-range?{query}", What, cancellationToken).ConfigureAwait(false);
            return Exchange.Parse(What, () => ElectricityMapsJson.ParseReadings(json.RootElement, "data", _region ?? zone, periodStart, periodEnd));
        }
    }

    private static string Iso(DateTimeOffset time) =>
        Uri.EscapeDataString(time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));

    private async Task<System.Text.Json.JsonDocument> GetJsonAsync(string pathAndQuery, string what, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_baseUrl + pathAndQuery));
        request.Headers.Add("auth-token", _token);
        request.Headers.Accept.ParseAdd("application/json");
        using var response = await Exchange.SendAsync(_http, request, what, _secrets, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw await Exchange.FailureAsync(response, what, _secrets, _time, cancellationToken).ConfigureAwait(false);
        }

        return await Exchange.ReadJsonAsync(response, what, cancellationToken).ConfigureAwait(false);
    }
}
