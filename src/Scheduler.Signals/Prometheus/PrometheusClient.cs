using System.Globalization;
using System.Net;
using System.Net.Http.Headers;

namespace Scheduler.Signals.Prometheus;

/// <summary>
/// Instant and range queries over the Prometheus HTTP API. Queries are POSTed as forms, so long
/// selectors (a Job's pod names) never meet a URL length limit. Every failure is a
/// <see cref="PrometheusException"/> of the right kind; resilience is the caller's pipeline.
/// </summary>
public sealed class PrometheusClient
{
    private readonly HttpClient _http;
    private readonly Uri _query;
    private readonly Uri _queryRange;
    private readonly Func<string?> _bearerToken;

    /// <summary>Creates a client of the Prometheus at <paramref name="baseUrl"/> (a path prefix such as <c>/prometheus</c> is kept).</summary>
    /// <param name="http">The HTTP client.</param>
    /// <param name="baseUrl">The Prometheus base URL.</param>
    /// <param name="bearerToken">Reads the bearer token to send, or <c>null</c> for none (read on every query, so a rotated token file is picked up).</param>
    public PrometheusClient(HttpClient http, Uri baseUrl, Func<string?>? bearerToken = null)
    {
        ArgumentNullException.ThrowIfNull(baseUrl);
        _http = http;
        var root = baseUrl.AbsoluteUri.TrimEnd('/');
        _query = new Uri(root + "/api/v1/query");
        _queryRange = new Uri(root + "/api/v1/query_range");
        _bearerToken = bearerToken ?? (() => null);
    }

    /// <summary>Evaluates <paramref name="promql"/> at <paramref name="at"/>: an instant vector, or the raw samples of a range selector.</summary>
    /// <exception cref="PrometheusException">The query failed.</exception>
    public Task<List<PromSeries>> QueryAsync(string promql, DateTimeOffset at, CancellationToken cancellationToken) =>
        PostAsync(_query, [new("query", promql), new("time", Seconds(at))], 0, cancellationToken);

    /// <summary>Evaluates <paramref name="promql"/> at every <paramref name="step"/> from <paramref name="start"/> to <paramref name="end"/>.</summary>
    /// <exception cref="PrometheusException">The query failed.</exception>
    public Task<List<PromSeries>> QueryRangeAsync(string promql, DateTimeOffset start, DateTimeOffset end, TimeSpan step, CancellationToken cancellationToken) =>
        PostAsync(
            _queryRange,
            [new("query", promql), new("start", Seconds(start)), new("end", Seconds(end)), new("step", step.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture))],
            step > TimeSpan.Zero && end > start ? (int)Math.Min(11_000, ((end - start).Ticks / step.Ticks) + 1) : 0,
            cancellationToken);

    private static string Seconds(DateTimeOffset time) =>
        (time.ToUnixTimeMilliseconds() / 1000.0).ToString("0.###", CultureInfo.InvariantCulture);

    private async Task<List<PromSeries>> PostAsync(Uri uri, KeyValuePair<string, string>[] form, int pointsPerSeries, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = new FormUrlEncodedContent(form) };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (_bearerToken() is { Length: > 0 } token)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            var body = await ReadBodyAsync(response, cancellationToken).ConfigureAwait(false);
            if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
            {
                throw new PrometheusException(PrometheusErrorKind.Auth, $"{uri.GetLeftPart(UriPartial.Path)} answered {(int)response.StatusCode}: check the bearer token");
            }

            // Prometheus answers errors (400, 422, 503) with the same JSON envelope, whose errorType
            // says more than the status; a proxy in front may answer with anything else.
            if (!response.IsSuccessStatusCode && !IsJson(response))
            {
                var kind = (int)response.StatusCode >= 500 || response.StatusCode == HttpStatusCode.TooManyRequests
                    ? PrometheusErrorKind.Unavailable
                    : PrometheusErrorKind.Rejected;
                throw new PrometheusException(kind, $"{uri.GetLeftPart(UriPartial.Path)} answered {(int)response.StatusCode} {response.ReasonPhrase}");
            }

            var series = PrometheusResponseReader.Read(body.Span, pointsPerSeries);
            if (!response.IsSuccessStatusCode)
            {
                throw new PrometheusException(PrometheusErrorKind.Malformed, $"{uri.GetLeftPart(UriPartial.Path)} answered {(int)response.StatusCode} with a success body");
            }

            return series;
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new PrometheusException(PrometheusErrorKind.Timeout, $"{uri.GetLeftPart(UriPartial.Path)} did not answer in time", e);
        }
        catch (HttpRequestException e)
        {
            throw new PrometheusException(PrometheusErrorKind.Unavailable, $"{uri.GetLeftPart(UriPartial.Authority)} could not be reached: {e.Message}", e);
        }
        catch (IOException e)
        {
            throw new PrometheusException(PrometheusErrorKind.Unavailable, $"{uri.GetLeftPart(UriPartial.Path)}: the connection failed while reading: {e.Message}", e);
        }
    }

    // The body in a buffer of its own: HttpContent's buffering rents from the shared array pool, which
    // keeps an hourly history answer's tens of megabytes alive long after it was read.
    private static async Task<ReadOnlyMemory<byte>> ReadBodyAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var length = response.Content.Headers.ContentLength;
        using var buffer = new MemoryStream(length is > 0 and < int.MaxValue ? (int)length.Value : 64 * 1024);
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            await stream.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
        }

        return buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
    }

    private static bool IsJson(HttpResponseMessage response) =>
        response.Content.Headers.ContentType?.MediaType is { } type && type.Contains("json", StringComparison.OrdinalIgnoreCase);
}
