using System.Net;
using System.Text.Json;
using Scheduler.Signals.Intensity;

namespace Scheduler.Signals.Providers.Common;

/// <summary>
/// One HTTP exchange with a provider's API, and the mapping of every way it can fail to an
/// <see cref="IntensityProviderException"/> of the right <see cref="ProviderErrorKind"/>.
/// </summary>
/// <param name="provider">The provider's name, carried by every error.</param>
internal sealed class ProviderExchange(string provider)
{
    // Long enough to carry the server's explanation, short enough to keep exception messages readable.
    private const int MaxServerMessageLength = 200;

    /// <summary>Sends <paramref name="request"/> once and returns the buffered response, whatever its status.</summary>
    /// <exception cref="IntensityProviderException">The connection failed (Server) or the HttpClient timed out (Timeout).</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<HttpResponseMessage> SendAsync(HttpClient http, HttpRequestMessage request, string what, IReadOnlyList<string> secrets, CancellationToken cancellationToken)
    {
        try
        {
            // The whole body is read inside SendAsync so that HttpClient.Timeout covers it too, and
            // a connection dropped mid-body surfaces here as a Server failure rather than later as Malformed.
            return await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            // Not the caller's token, so it is HttpClient.Timeout (or the handler's own deadline).
            throw new IntensityProviderException(provider, ProviderErrorKind.Timeout, $"{what} timed out", inner: e);
        }
        catch (HttpRequestException e)
        {
            throw new IntensityProviderException(provider, ProviderErrorKind.Server, $"{what} failed: {Redact(e.Message, secrets)}", inner: e);
        }
        catch (IOException e)
        {
            throw new IntensityProviderException(provider, ProviderErrorKind.Server, $"{what} failed: {Redact(e.Message, secrets)}", inner: e);
        }
    }

    /// <summary>The failure a non-success <paramref name="response"/> stands for.</summary>
    public async Task<IntensityProviderException> FailureAsync(HttpResponseMessage response, string what, IReadOnlyList<string> secrets, TimeProvider time, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        var detail = await ServerMessageAsync(response, secrets, cancellationToken).ConfigureAwait(false);
        var message = detail is null ? $"{what} answered HTTP {status}" : $"{what} answered HTTP {status}: {detail}";
        var kind = response.StatusCode switch
        {
            HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => ProviderErrorKind.Auth,
            HttpStatusCode.TooManyRequests => ProviderErrorKind.RateLimited,
            HttpStatusCode.RequestTimeout => ProviderErrorKind.Timeout,

            // The zone is the only free input of our requests, so a refused request means the
            // provider does not know (or has nothing for) the zone; asking again will not help.
            HttpStatusCode.NotFound or HttpStatusCode.BadRequest or HttpStatusCode.UnprocessableEntity => ProviderErrorKind.NoData,

            // 5xx, and any status this API is not known to send: retrying is the safer guess, and
            // the circuit breaker around the provider stops a permanent one from costing much.
            _ => ProviderErrorKind.Server,
        };
        var retryAfter = kind == ProviderErrorKind.RateLimited ? RetryAfter(response, time) : null;
        return new IntensityProviderException(provider, kind, message, retryAfter);
    }

    /// <summary>The body of a successful response as JSON.</summary>
    /// <exception cref="IntensityProviderException">The body is not JSON (Malformed).</exception>
    public async Task<JsonDocument> ReadJsonAsync(HttpResponseMessage response, string what, CancellationToken cancellationToken)
    {
        try
        {
            var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                return await JsonDocument.ParseAsync(stream, default, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (JsonException e)
        {
            throw new IntensityProviderException(provider, ProviderErrorKind.Malformed, $"{what} returned invalid JSON: {e.Message}", inner: e);
        }
    }

    /// <summary>Runs <paramref name="parse"/> over an answer read by <see cref="ReadJsonAsync"/>.</summary>
    /// <exception cref="IntensityProviderException">A string in the answer is no text (Malformed), or whatever <paramref name="parse"/> throws.</exception>
    public T Parse<T>(string what, Func<T> parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        try
        {
            return parse();
        }
        catch (InvalidOperationException e)
        {
            // JsonDocument accepts strings holding invalid UTF-8 or an escaped half surrogate pair
            // (\ud800); reading one as text (GetString, GetRawText) throws this.
            throw new IntensityProviderException(provider, ProviderErrorKind.Malformed, $"{what} returned a string that is not valid text: {e.Message}", inner: e);
        }
    }

    /// <summary>How long the server asked us to wait: <c>Retry-After</c> as delta-seconds or as an HTTP date.</summary>
    public static TimeSpan? RetryAfter(HttpResponseMessage response, TimeProvider time)
    {
        var header = response.Headers.RetryAfter;
        TimeSpan? wait = header?.Delta ?? (header?.Date is { } date ? date - time.GetUtcNow() : null);

        // A date already past (clock skew) means "now", not a negative wait.
        return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
    }

    /// <summary><paramref name="text"/> with every secret replaced by <c>***</c>.</summary>
    public static string Redact(string text, IReadOnlyList<string> secrets)
    {
        foreach (var secret in secrets)
        {
            if (secret.Length > 0)
            {
                text = text.Replace(secret, "***", StringComparison.Ordinal);
            }
        }

        return text;
    }

    // The server's own explanation (a JSON "message"/"error"/"detail", or short plain text), redacted
    // because an error body may echo what we sent.
    private static async Task<string?> ServerMessageAsync(HttpResponseMessage response, IReadOnlyList<string> secrets, CancellationToken cancellationToken)
    {
        string body;
        try
        {
            body = (await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false)).Trim();
        }
        catch (HttpRequestException)
        {
            return null;
        }

        if (body.Length == 0)
        {
            return null;
        }

        var text = body;
        try
        {
            using var json = JsonDocument.Parse(body);
            if (json.RootElement.ValueKind == JsonValueKind.Object)
            {
                foreach (var name in (ReadOnlySpan<string>)["message", "error", "detail"])
                {
                    if (json.RootElement.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String)
                    {
                        text = value.GetString() ?? body;
                        break;
                    }
                }
            }
        }
        catch (JsonException)
        {
            // Plain text (e.g. "Access denied"): use it as it is.
        }

        text = Redact(text.ReplaceLineEndings(" "), secrets);
        return text.Length > MaxServerMessageLength ? text[..MaxServerMessageLength] + "…" : text;
    }
}
