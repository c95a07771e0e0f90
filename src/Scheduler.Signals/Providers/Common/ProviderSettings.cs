using Scheduler.Signals.Secrets;

namespace Scheduler.Signals.Providers.Common;

/// <summary>Reads and checks a provider's settings of a zone, naming the setting in every error.</summary>
internal static class ProviderSettings
{
    /// <summary>
    /// The API's base URL without a trailing slash or <c>/v3</c> (the Carbon Aware SDK's settings
    /// include it, so both spellings are accepted).
    /// </summary>
    /// <exception cref="InvalidOperationException">The URL is not an absolute http(s) URL.</exception>
    public static string BaseUrl(string? configured, Uri fallback, string setting)
    {
        if (string.IsNullOrWhiteSpace(configured))
        {
            return fallback.AbsoluteUri.TrimEnd('/');
        }

        // The value is not echoed: a URL can carry user information.
        if (!Uri.TryCreate(configured.Trim(), UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new InvalidOperationException($"{setting} must be an absolute http or https URL.");
        }

        var text = uri.GetLeftPart(UriPartial.Path).TrimEnd('/');
        return text.EndsWith("/v3", StringComparison.OrdinalIgnoreCase) ? text[..^3] : text;
    }

    /// <summary>The trimmed content of the secret file <paramref name="path"/>.</summary>
    /// <exception cref="InvalidOperationException">The setting is empty, or the file is missing, unreadable or empty; the message names the setting and the path, never the content.</exception>
    public static string ReadSecret(string? path, string setting, string what)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new InvalidOperationException($"{setting} is not set; it must name a file holding {what}.");
        }

        try
        {
            return SecretFile.Read(path);
        }
        catch (SecretFileException e)
        {
            throw new InvalidOperationException(
                e.Problem switch
                {
                    SecretFileProblem.Missing => $"{setting} names '{path}', which does not exist; it must hold {what}.",
                    SecretFileProblem.Unreadable => $"{setting} names '{path}', which cannot be read ({e.InnerException!.GetType().Name}).",
                    _ => $"{setting} names '{path}', which is empty; it must hold {what}.",
                },
                e.InnerException);
        }
    }
}
