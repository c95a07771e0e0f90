using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Scheduler.Extender.Hosting;

/// <summary>
/// The HTTPS listener (configuration section <c>Tls</c>), which the API server needs to call the
/// admission webhook. It listens beside the HTTP port when both PEM files are set.
/// </summary>
public sealed class TlsOptions
{
    /// <summary>The configuration section name.</summary>
    public const string SectionName = "Tls";

    /// <summary>The default HTTPS port.</summary>
    public const int DefaultPort = 8443;

    /// <summary>The PEM certificate (chain), e.g. <c>tls.crt</c> of a mounted cert-manager Secret.</summary>
    public string? CertificateFile { get; set; }

    /// <summary>The PEM private key of the certificate, e.g. <c>tls.key</c>.</summary>
    public string? KeyFile { get; set; }

    /// <summary>The HTTPS port. Default 8443; 0 picks a free port (for tests).</summary>
    public int Port { get; set; } = DefaultPort;

    /// <summary>
    /// A PEM bundle of the CA(s) that sign client certificates, e.g. <c>ca.crt</c> of the mounted Secret. When set,
    /// the HTTPS listener asks clients for a certificate, and the paths of <see cref="RequireClientCertificateFor"/>
    /// answer only requests that present one issued by these CAs.
    /// </summary>
    public string? ClientCaFile { get; set; }

    /// <summary>
    /// The paths (and the paths below them) that need a client certificate when <see cref="ClientCaFile"/> is set;
    /// <see langword="null"/> for <see cref="DefaultClientCertificatePaths"/>. The admission webhook is left open by
    /// default: the API server presents no client certificate unless configured to.
    /// </summary>
    public string[]? RequireClientCertificateFor { get; set; }

    /// <summary>
    /// The paths (and the paths below them) the plain HTTP port still serves once HTTPS is on; <see langword="null"/>
    /// for <see cref="DefaultPlainHttpPaths"/>. <c>/</c> serves everything over plain HTTP too (not recommended: the
    /// scheduler's pods, the webhook's objects and the reports would cross the network in clear).
    /// </summary>
    public string[]? PlainHttpPaths { get; set; }

    /// <summary>What the plain HTTP port serves beside HTTPS by default: the probes, which the kubelet reads, and <c>/metrics</c>.</summary>
    public static IReadOnlyList<string> DefaultPlainHttpPaths { get; } = ["/healthz", "/readyz", "/metrics"];

    /// <summary>The paths the plain HTTP port serves beside HTTPS: the configured ones, else the default.</summary>
    public IReadOnlyList<string> PlainHttpPathsInForce => PlainHttpPaths ?? DefaultPlainHttpPaths;

    /// <summary>The extender verbs, which kube-scheduler calls with its client certificate.</summary>
    public static IReadOnlyList<string> DefaultClientCertificatePaths { get; } = ["/filter", "/prioritize"];

    /// <summary>Whether client certificates are checked (a CA file is set).</summary>
    public bool ClientCertificatesEnabled => !string.IsNullOrWhiteSpace(ClientCaFile);

    /// <summary>The paths that need a client certificate: the configured ones, else the default.</summary>
    public IReadOnlyList<string> ClientCertificatePaths => RequireClientCertificateFor ?? DefaultClientCertificatePaths;

    /// <summary>Whether HTTPS is configured (both files set).</summary>
    public bool Enabled => !string.IsNullOrWhiteSpace(CertificateFile) && !string.IsNullOrWhiteSpace(KeyFile);

    /// <summary>Every problem with these settings; empty when valid. Loads the certificate, so an unreadable pair stops the start.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (Port is < 0 or > 65535)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"Tls:Port is {Port}; it must be between 1 and 65535 (or 0 for any free port)."));
        }

        ValidateClientCertificates(errors);
        var hasCertificate = !string.IsNullOrWhiteSpace(CertificateFile);
        var hasKey = !string.IsNullOrWhiteSpace(KeyFile);
        if (hasCertificate != hasKey)
        {
            errors.Add($"Tls:CertificateFile and Tls:KeyFile must be set together (PEM files, e.g. tls.crt and tls.key of a mounted Secret); only Tls:{(hasCertificate ? "CertificateFile" : "KeyFile")} is set.");
            return errors;
        }

        if (!Enabled)
        {
            return errors;
        }

        var missing = false;
        foreach (var (key, path) in new[] { ("CertificateFile", CertificateFile!), ("KeyFile", KeyFile!) })
        {
            if (!File.Exists(path))
            {
                errors.Add($"Tls:{key} '{path}' does not exist.");
                missing = true;
            }
        }

        if (!missing)
        {
            var (certificate, error) = Load(CertificateFile!, KeyFile!);
            certificate?.Dispose();
            if (error is not null)
            {
                errors.Add(error);
            }
        }

        return errors;
    }

    private void ValidateClientCertificates(List<string> errors)
    {
        if (RequireClientCertificateFor is { } paths)
        {
            foreach (var path in paths.Where(p => string.IsNullOrWhiteSpace(p) || !p.StartsWith('/')))
            {
                errors.Add($"Tls:RequireClientCertificateFor holds '{path}'; each entry must be a path starting with '/', e.g. /filter.");
            }
        }

        if (PlainHttpPaths is { } plain)
        {
            foreach (var path in plain.Where(p => string.IsNullOrWhiteSpace(p) || !p.StartsWith('/')))
            {
                errors.Add($"Tls:PlainHttpPaths holds '{path}'; each entry must be a path starting with '/', e.g. /metrics.");
            }
        }

        if (!ClientCertificatesEnabled)
        {
            return;
        }

        if (!Enabled)
        {
            errors.Add("Tls:ClientCaFile is set, but client certificates need the HTTPS listener: set Tls:CertificateFile and Tls:KeyFile too.");
        }

        if (!File.Exists(ClientCaFile))
        {
            errors.Add($"Tls:ClientCaFile '{ClientCaFile}' does not exist.");
            return;
        }

        var (authorities, error) = ClientCertificateAuthorities.Load(ClientCaFile!);
        ClientCertificateAuthorities.DisposeAll(authorities);
        if (error is not null)
        {
            errors.Add(error);
        }
    }

    /// <summary>
    /// The certificate with its key from the two PEM files, or why they cannot be used. The message
    /// names the files and the cause, never their content.
    /// </summary>
    internal static (X509Certificate2? Certificate, string? Error) Load(string certificateFile, string keyFile)
    {
        try
        {
            var certificate = ServerCertificateFiles.LoadPem(certificateFile, keyFile);
            if (certificate.HasPrivateKey)
            {
                return (certificate, null);
            }

            certificate.Dispose();
            return (null, $"Tls:KeyFile '{keyFile}' holds no private key for the certificate in Tls:CertificateFile '{certificateFile}'.");
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            return (null, $"Tls:CertificateFile '{certificateFile}' and Tls:KeyFile '{keyFile}' cannot be loaded as a PEM certificate and its private key: {e.Message}");
        }
    }
}
