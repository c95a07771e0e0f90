using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Scheduler.Extender.Hosting;

/// <summary>
/// Adds the HTTPS listener of <see cref="TlsOptions"/> beside the HTTP one. It is added as one more
/// listen URL, not with <c>Listen()</c> in code, because Kestrel ignores the URLs (<c>--urls</c>,
/// <c>ASPNETCORE_URLS</c>) once any endpoint is defined in code.
/// </summary>
internal static class HttpsListener
{
    /// <summary>Sets the listen URLs: <paramref name="httpUrls"/>, plus HTTPS on <c>Tls:Port</c> when <c>Tls</c> is configured.</summary>
    public static void Configure(WebApplicationBuilder builder, string httpUrls)
    {
        TlsOptions tls;
        try
        {
            tls = builder.Configuration.GetSection(TlsOptions.SectionName).Get<TlsOptions>() ?? new TlsOptions();
        }
        catch (InvalidOperationException)
        {
            // A value of the wrong type (Tls:Port=abc): reported with every other bad setting before the start.
            tls = new TlsOptions();
        }

        if (!tls.Enabled)
        {
            builder.WebHost.UseUrls(httpUrls);
            return;
        }

        builder.WebHost.UseUrls(httpUrls, HttpsUrl(httpUrls, tls.Port));
        builder.Services.AddSingleton<ServerCertificateFiles>();

        // A selector, so the certificate is read lazily (after the settings are validated) and follows renewals.
        builder.Services.AddOptions<KestrelServerOptions>().Configure<ServerCertificateFiles, IServiceProvider>((kestrel, certificates, services) =>
            kestrel.ConfigureHttpsDefaults(https =>
            {
                https.ServerCertificateSelector = (_, _) => certificates.Current;
                if (tls.ClientCertificatesEnabled)
                {
                    // Asked for, not required: the API server calls the webhook on this port without one. The chain is
                    // checked against Tls:ClientCaFile only, and ClientCertificateGate refuses the protected paths
                    // without a trusted one; a TLS failure here would only hide the reason from the caller.
                    var authorities = services.GetRequiredService<ClientCertificateAuthorities>();
                    https.ClientCertificateMode = ClientCertificateMode.AllowCertificate;
                    https.ClientCertificateValidation = (certificate, chain, _) =>
                    {
                        authorities.Check(certificate, chain);
                        return true;
                    };
                }
            }));
    }

    /// <summary>
    /// The HTTPS URL on <paramref name="port"/> at the host of the first of <paramref name="urls"/>
    /// (separated by ';'), so HTTPS binds where HTTP does: <c>http://0.0.0.0:8090</c> gives
    /// <c>https://0.0.0.0:8443</c>, <c>http://[::]:8090</c> gives <c>https://[::]:8443</c>.
    /// </summary>
    public static string HttpsUrl(string urls, int port)
    {
        var first = urls.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? string.Empty;
        var schemeEnd = first.IndexOf("://", StringComparison.Ordinal);
        var authority = schemeEnd < 0 ? first : first[(schemeEnd + 3)..];
        var pathStart = authority.IndexOf('/', StringComparison.Ordinal);
        if (pathStart >= 0)
        {
            authority = authority[..pathStart];
        }

        string host;
        if (authority.StartsWith('['))
        {
            var close = authority.IndexOf(']', StringComparison.Ordinal);
            host = close > 0 ? authority[..(close + 1)] : authority;
        }
        else
        {
            var colon = authority.LastIndexOf(':');
            host = colon >= 0 ? authority[..colon] : authority;
        }

        return string.Create(CultureInfo.InvariantCulture, $"https://{(host.Length == 0 ? "0.0.0.0" : host)}:{port}");
    }
}
