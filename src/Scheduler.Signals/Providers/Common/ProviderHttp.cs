using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Scheduler.Signals.Intensity;
using Scheduler.Signals.Secrets;

namespace Scheduler.Signals.Providers.Common;

/// <summary>
/// One HTTP GET of a JSON document, with every failure mapped to an <see cref="IntensityProviderException"/>
/// of the right kind. Shared by the HTTP providers so that they all classify failures alike.
/// </summary>
internal static class ProviderHttp
{
    /// <summary>
    /// Sends one GET to <paramref name="uri"/> and parses the body; <c>null</c> for 204 No Content.
    /// Cancellation by <paramref name="cancellationToken"/> propagates as <see cref="OperationCanceledException"/>.
    /// </summary>
    /// <exception cref="IntensityProviderException">The call failed.</exception>
    public static async Task<JsonDocument?> GetJsonAsync(
        HttpClient http,
        Uri uri,
        string provider,
        string? bearerToken,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (bearerToken is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearerToken);
        }

        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            if (response.StatusCode == HttpStatusCode.NoContent)
            {
                return null;
            }

            if (!response.IsSuccessStatusCode)
            {
                // A server may echo the request (its Authorization header among it) in its error body.
                var detail = ProviderExchange.Redact(await ReadDetailAsync(response, cancellationToken).ConfigureAwait(false), Secrets(bearerToken));
                throw Classify(provider, uri, response, detail, time);
            }

            var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                return await JsonDocument.ParseAsync(stream, default, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (JsonException e)
        {
            throw new IntensityProviderException(provider, ProviderErrorKind.Malformed, $"{uri.AbsolutePath} did not answer with valid JSON: {e.Message}", inner: e);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            // HttpClient reports its own Timeout as a TaskCanceledException; only the caller's token
            // means "stop", anything else is the server being too slow.
            throw new IntensityProviderException(provider, ProviderErrorKind.Timeout, $"{uri.AbsolutePath} did not answer in time", inner: e);
        }
        catch (HttpRequestException e)
        {
            // The scheme, host and port only: a URL's user information is a credential.
            throw new IntensityProviderException(provider, ProviderErrorKind.Server, $"{uri.Scheme}://{uri.Authority} could not be reached: {ProviderExchange.Redact(e.Message, Secrets(bearerToken))}", inner: e);
        }
        catch (IOException e)
        {
            // A connection dropped while the body was being read.
            throw new IntensityProviderException(provider, ProviderErrorKind.Server, $"{uri.AbsolutePath}: the connection failed while reading: {e.Message}", inner: e);
        }
    }

    /// <summary>The contents of an optional token file, trimmed; <c>null</c> when no file is configured.</summary>
    /// <exception cref="IntensityProviderException">The file is configured but cannot be read (kind Auth).</exception>
    public static string? ReadToken(string? tokenFile, string provider)
    {
        if (string.IsNullOrWhiteSpace(tokenFile))
        {
            return null;
        }

        try
        {
            return SecretFile.Read(tokenFile);
        }
        catch (SecretFileException e)
        {
            var detail = e.Problem == SecretFileProblem.Empty ? "is empty" : $"cannot be read: {e.InnerException!.Message}";
            throw new IntensityProviderException(provider, ProviderErrorKind.Auth, $"the token file {tokenFile} {detail}", inner: e.InnerException);
        }
    }

    private static string[] Secrets(string? bearerToken) => bearerToken is null ? [] : [bearerToken];

    /// <summary>The time written as the given UTC format, for URLs.</summary>
    public static string Format(DateTimeOffset time, string format) =>
        time.UtcDateTime.ToString(format, System.Globalization.CultureInfo.InvariantCulture);

    private static IntensityProviderException Classify(string provider, Uri uri, HttpResponseMessage response, string detail, TimeProvider time)
    {
        var status = (int)response.StatusCode;
        var message = $"{uri.AbsolutePath} answered {status} {response.ReasonPhrase}{(detail.Length == 0 ? string.Empty : ": " + detail)}";
        return status switch
        {
            401 or 403 => new IntensityProviderException(provider, ProviderErrorKind.Auth, message),
            429 => new IntensityProviderException(provider, ProviderErrorKind.RateLimited, message, ProviderExchange.RetryAfter(response, time)),
            408 => new IntensityProviderException(provider, ProviderErrorKind.Timeout, message),
            >= 500 => new IntensityProviderException(provider, ProviderErrorKind.Server, message),

            // 400 is how both APIs refuse an unknown region or location; 404/410/422 likewise mean
            // "nothing here for that request". None of them gets better by retrying.
            400 or 404 or 410 or 422 => new IntensityProviderException(provider, ProviderErrorKind.NoData, message),
            _ => new IntensityProviderException(provider, ProviderErrorKind.Malformed, "unexpected answer: " + message),
        };
    }

    private static async Task<string> ReadDetailAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);

            // Error bodies can be whole HTML pages; a short prefix is enough for the log.
            body = body.ReplaceLineEndings(" ").Trim();
            return body.Length > 300 ? body[..300] + "…" : body;
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            return string.Empty;
        }
    }
}
