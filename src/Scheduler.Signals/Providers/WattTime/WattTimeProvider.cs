using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Scheduler.Core.Intensity;
using Scheduler.Signals.Intensity;
using Scheduler.Signals.Providers.Common;

namespace Scheduler.Signals.Providers.WattTime;

/// <summary>
/// Marginal carbon intensity (<c>co2_moer</c>) from the WattTime v3 API, converted from lbs/MWh to
/// gCO2eq/kWh: forecasts from <c>/v3/forecast</c>, actuals from <c>/v3/historical</c>.
/// </summary>
/// <remarks>
/// <para>
/// WattTime tokens come from <c>GET /login</c> with HTTP basic auth and are valid for 30 minutes. The
/// token is cached and replaced once it is <see cref="TokenRefreshAge"/> old, before the server would
/// refuse it; if a data call is refused with 401 anyway, the provider logs in once more and repeats
/// that call once. Apart from that, each call makes one data request.
/// </para>
/// <para>Credentials and tokens never appear in exception messages.</para>
/// </remarks>
public sealed class WattTimeProvider : IIntensityProvider
{
    /// <summary>The provider's name, used as <see cref="IntensityForecast.Source"/>.</summary>
    public const string ProviderName = "watttime";

    private static readonly ProviderExchange Exchange = new(ProviderName);

    /// <summary>The signal requested: marginal operating emissions rate of CO2.</summary>
    public const string SignalType = "co2_moer";

    /// <summary>The public API host used when <see cref="CarbonZoneOptions.Url"/> is not set.</summary>
    public static readonly Uri DefaultBaseUrl = new("https://api.watttime.org");

    /// <summary>How long WattTime honours a token.</summary>
    public static readonly TimeSpan TokenLifetime = TimeSpan.FromMinutes(30);

    /// <summary>
    /// The age at which a cached token is replaced: five minutes short of <see cref="TokenLifetime"/>,
    /// so that a slow call or a little clock skew does not meet an expired token.
    /// </summary>
    public static readonly TimeSpan TokenRefreshAge = TimeSpan.FromMinutes(25);

    private readonly HttpClient _http;
    private readonly TimeProvider _time;
    private readonly string _baseUrl;
    private readonly string _region;
    private readonly string _basicCredentials;
    private readonly string _settings;
    private readonly string[] _credentialSecrets;

    // Replaced as a whole, so readers never see a token with another token's time. Two callers that
    // find it stale at once both log in; both tokens are valid, and that rare extra login is cheaper
    // than serialising every call behind a lock.
    private volatile WattTimeToken? _token;

    /// <summary>Creates the provider and reads the password file.</summary>
    /// <param name="http">The client to send with; its timeout bounds each request.</param>
    /// <param name="options">The zone's settings: <c>Region</c>, <c>Username</c> and <c>PasswordFile</c> (required), <c>Url</c>.</param>
    /// <param name="time">The clock, also used for the token's age.</param>
    /// <param name="configuredZone">Our id of the zone the options belong to, only to name settings in error messages (e.g. <c>Carbon:Zones:CAISO:Region</c>).</param>
    /// <exception cref="InvalidOperationException">A setting is missing or invalid, or the password file cannot be read; the message names the setting.</exception>
    public WattTimeProvider(HttpClient http, CarbonZoneOptions options, TimeProvider time, string? configuredZone = null)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        _settings = $"Carbon:Zones:{configuredZone ?? "<zone>"}";
        _http = http;
        _time = time;
        _baseUrl = ProviderSettings.BaseUrl(options.Url, DefaultBaseUrl, $"{_settings}:Url");

        // WattTime regions (e.g. CAISO_NORTH) never match our zone ids, so there is no sensible default.
        _region = string.IsNullOrWhiteSpace(options.Region)
            ? throw new InvalidOperationException($"{_settings}:Region is not set; WattTime needs its own region name, e.g. CAISO_NORTH.")
            : options.Region.Trim();
        var username = string.IsNullOrWhiteSpace(options.Username)
            ? throw new InvalidOperationException($"{_settings}:Username is not set; WattTime needs a user name to log in.")
            : options.Username.Trim();
        var password = ProviderSettings.ReadSecret(options.PasswordFile, $"{_settings}:PasswordFile", "the WattTime password");
        _basicCredentials = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{username}:{password}"));
        _credentialSecrets = [password, _basicCredentials];
    }

    /// <inheritdoc />
    public string Name => ProviderName;

    /// <inheritdoc />
    public async Task<IntensityForecast?> GetForecastAsync(string zone, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(zone);
        var query = $"region={Uri.EscapeDataString(_region)}&signal_type={SignalType}";
        const string What = "GET /v3/forecast";
        using var json = await GetJsonAsync($"/v3/forecast?{query}", What, cancellationToken).ConfigureAwait(false);
        return Exchange.Parse(What, () => WattTimeJson.ParseForecast(json.RootElement, zone, _region, SignalType, now));
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<IntensityReading>> GetActualsAsync(string zone, DateTimeOffset periodStart, DateTimeOffset periodEnd, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(zone);
        if (periodEnd <= periodStart)
        {
            return [];
        }

        var query = $"region={Uri.EscapeDataString(_region)}&start={Iso(periodStart)}&end={Iso(periodEnd)}&signal_type={SignalType}";
        const string What = "GET /v3/historical";
        using var json = await GetJsonAsync($"/v3/historical?{query}", What, cancellationToken).ConfigureAwait(false);
        return Exchange.Parse(What, () => WattTimeJson.ParseReadings(json.RootElement, _region, SignalType, periodStart, periodEnd));
    }

    private static string Iso(DateTimeOffset time) =>
        Uri.EscapeDataString(time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));

    private async Task<JsonDocument> GetJsonAsync(string pathAndQuery, string what, CancellationToken cancellationToken)
    {
        var uri = new Uri(_baseUrl + pathAndQuery);
        var token = await TokenAsync(cancellationToken).ConfigureAwait(false);
        var response = await SendWithTokenAsync(uri, token, what, cancellationToken).ConfigureAwait(false);
        try
        {
            if (response.StatusCode == HttpStatusCode.Unauthorized)
            {
                // Refused before its time (revoked, or the server's clock runs ahead): one fresh login
                // and one more try; a second refusal is a real credentials problem.
                response.Dispose();
                Interlocked.CompareExchange(ref _token, null, token);
                token = await TokenAsync(cancellationToken).ConfigureAwait(false);
                response = await SendWithTokenAsync(uri, token, what, cancellationToken).ConfigureAwait(false);
            }

            if (!response.IsSuccessStatusCode)
            {
                throw await Exchange.FailureAsync(response, what, Secrets(token), _time, cancellationToken).ConfigureAwait(false);
            }

            return await Exchange.ReadJsonAsync(response, what, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            response.Dispose();
        }
    }

    private async Task<HttpResponseMessage> SendWithTokenAsync(Uri uri, WattTimeToken token, string what, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.Value);
        request.Headers.Accept.ParseAdd("application/json");
        return await Exchange.SendAsync(_http, request, what, Secrets(token), cancellationToken).ConfigureAwait(false);
    }

    private async Task<WattTimeToken> TokenAsync(CancellationToken cancellationToken)
    {
        var cached = _token;
        if (cached is not null && _time.GetUtcNow() - cached.ObtainedAt < TokenRefreshAge)
        {
            return cached;
        }

        var fresh = await LoginAsync(cancellationToken).ConfigureAwait(false);
        _token = fresh;
        return fresh;
    }

    private async Task<WattTimeToken> LoginAsync(CancellationToken cancellationToken)
    {
        const string What = "GET /login";

        // The token's age counts from before the request: the server's 30 minutes may start any time during it.
        var startedAt = _time.GetUtcNow();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_baseUrl + "/login"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", _basicCredentials);
        request.Headers.Accept.ParseAdd("application/json");
        using var response = await Exchange.SendAsync(_http, request, What, _credentialSecrets, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            var failure = await Exchange.FailureAsync(response, What, _credentialSecrets, _time, cancellationToken).ConfigureAwait(false);
            if (failure.Kind == ProviderErrorKind.Auth)
            {
                // Say which settings to check; the server's text is kept (redacted) in the inner exception.
                throw new IntensityProviderException(
                    ProviderName,
                    ProviderErrorKind.Auth,
                    $"{What} refused the credentials of {_settings}:Username and {_settings}:PasswordFile (HTTP {(int)response.StatusCode})",
                    inner: failure);
            }

            throw failure;
        }

        using var json = await Exchange.ReadJsonAsync(response, What, cancellationToken).ConfigureAwait(false);
        var root = json.RootElement;
        var token = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("token", out var value) && value.ValueKind == JsonValueKind.String
            ? Exchange.Parse(What, value.GetString)
            : null;
        if (string.IsNullOrWhiteSpace(token))
        {
            throw new IntensityProviderException(ProviderName, ProviderErrorKind.Malformed, $"{What} returned no 'token'");
        }

        // Checked before it is cached: a token no Authorization header can carry (a new-line, a space,
        // non-ASCII) would fail every call until the next login. The token itself stays out of the message.
        if (!IsBearerToken(token))
        {
            throw new IntensityProviderException(ProviderName, ProviderErrorKind.Malformed, $"{What} returned a 'token' that is not a bearer token (RFC 6750 allows letters, digits and -._~+/=)");
        }

        return new WattTimeToken(token, startedAt);
    }

    private static bool IsBearerToken(string token) =>
        token.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '~' or '+' or '/' or '=');

    private string[] Secrets(WattTimeToken token) => [.. _credentialSecrets, token.Value];
}
