using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Scheduler.Extender.Hosting;

/// <summary>
/// The HTTPS certificate from the PEM files of <see cref="TlsOptions"/>, reloaded when they change:
/// cert-manager renews the Secret in place, and the mounted files follow without a restart.
/// </summary>
internal sealed partial class ServerCertificateFiles(IOptions<TlsOptions> options, TimeProvider time, ILogger<ServerCertificateFiles> logger)
{
    // Renewal happens weeks before expiry, so a check a minute is plenty and keeps handshakes cheap.
    private static readonly TimeSpan CheckInterval = TimeSpan.FromMinutes(1);

    private readonly Lock _lock = new();
    private X509Certificate2? _current;
    private byte[] _certificateBytes = [];
    private byte[] _keyBytes = [];
    private DateTimeOffset _checkedAt;

    /// <summary>The certificate to present, reloaded first if the files changed since the last check.</summary>
    public X509Certificate2 Current
    {
        get
        {
            lock (_lock)
            {
                var now = time.GetUtcNow();
                if (_current is null || now - _checkedAt >= CheckInterval)
                {
                    _checkedAt = now;
                    Refresh();
                }

                return _current!;
            }
        }
    }

    /// <summary>Loads a certificate and its key from PEM files, usable by the TLS server on every platform.</summary>
    public static X509Certificate2 LoadPem(string certificateFile, string keyFile)
    {
        var certificate = X509Certificate2.CreateFromPemFile(certificateFile, keyFile);
        if (!OperatingSystem.IsWindows())
        {
            return certificate;
        }

        // Windows' TLS stack cannot use the ephemeral key of a PEM import; a PKCS#12 round trip persists it.
        using (certificate)
        {
            return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
        }
    }

    private void Refresh()
    {
        var settings = options.Value;
        byte[] certificateBytes, keyBytes;
        try
        {
            certificateBytes = File.ReadAllBytes(settings.CertificateFile!);
            keyBytes = File.ReadAllBytes(settings.KeyFile!);
        }
        catch (Exception e) when (_current is not null && e is IOException or UnauthorizedAccessException)
        {
            LogReloadFailed(logger, e, settings.CertificateFile!);
            return;
        }

        if (_current is not null && certificateBytes.AsSpan().SequenceEqual(_certificateBytes) && keyBytes.AsSpan().SequenceEqual(_keyBytes))
        {
            return;
        }

        try
        {
            // The previous certificate is not disposed: a handshake in flight may still be using it.
            _current = LoadPem(settings.CertificateFile!, settings.KeyFile!);
            (_certificateBytes, _keyBytes) = (certificateBytes, keyBytes);
            var (subject, notAfter) = (_current.Subject, _current.NotAfter.ToUniversalTime());
            LogLoaded(logger, settings.CertificateFile!, subject, notAfter);
        }
        catch (Exception e) when (_current is not null && e is CryptographicException or IOException or UnauthorizedAccessException)
        {
            // A renewal caught half-written: keep serving the old certificate and try again later.
            LogReloadFailed(logger, e, settings.CertificateFile!);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "HTTPS certificate loaded from {CertificateFile}: {Subject}, valid until {NotAfter:O}")]
    private static partial void LogLoaded(ILogger logger, string certificateFile, string subject, DateTime notAfter);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The HTTPS certificate files ({CertificateFile}) changed but cannot be loaded; the previous certificate is kept")]
    private static partial void LogReloadFailed(ILogger logger, Exception exception, string certificateFile);
}
