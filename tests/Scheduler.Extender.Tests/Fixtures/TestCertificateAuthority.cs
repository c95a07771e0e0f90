using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Scheduler.Extender.Tests.Fixtures;

/// <summary>
/// A private CA made in the test (as cert-manager's CA Issuer would be), written as a PEM <c>ca.crt</c>, and the
/// client certificates it issues (as the scheduler's <c>carbon-scheduler-client</c>).
/// </summary>
public sealed class TestCertificateAuthority : IDisposable
{
    private static readonly Oid ClientAuthentication = new("1.3.6.1.5.5.7.3.2");
    private static readonly Oid ServerAuthentication = new("1.3.6.1.5.5.7.3.1");

    private readonly ECDsa _key;
    private readonly List<X509Certificate2> _issued = [];

    private TestCertificateAuthority(X509Certificate2 certificate, ECDsa key, string directory)
    {
        Certificate = certificate;
        _key = key;
        Directory = directory;
    }

    public X509Certificate2 Certificate { get; }

    public string Directory { get; }

    /// <summary>The CA certificate as PEM, where the extender reads it from (<c>Tls:ClientCaFile</c>).</summary>
    public string CaFile => Path.Combine(Directory, "ca.crt");

    public static TestCertificateAuthority Create(string subject = "CN=carbon-aware-scheduler-ca")
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var now = DateTimeOffset.UtcNow;
        var certificate = request.CreateSelfSigned(now.AddDays(-30), now.AddDays(30));
        var directory = Path.Combine(Path.GetTempPath(), $"ca-{Guid.NewGuid():N}");
        System.IO.Directory.CreateDirectory(directory);
        var authority = new TestCertificateAuthority(certificate, key, directory);
        File.WriteAllText(authority.CaFile, certificate.ExportCertificatePem());
        return authority;
    }

    /// <summary>A client certificate (with its key) issued by this CA, valid from <paramref name="notBefore"/> for a day unless told.</summary>
    public X509Certificate2 IssueClient(string subject = "CN=carbon-aware-scheduler", DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null, bool serverOnly = false)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([serverOnly ? ServerAuthentication : ClientAuthentication], false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Certificate, true, false));
        var from = notBefore ?? DateTimeOffset.UtcNow.AddMinutes(-5);
        var until = notAfter ?? from.AddDays(1);
        using var issued = request.Create(Certificate, from, until, RandomNumberGenerator.GetBytes(16));
        using var withKey = issued.CopyWithPrivateKey(key);

        // A PKCS#12 round trip gives a key every platform's TLS stack can use.
        var certificate = X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
        _issued.Add(certificate);
        return certificate;
    }

    public void Dispose()
    {
        foreach (var certificate in _issued)
        {
            certificate.Dispose();
        }

        Certificate.Dispose();
        _key.Dispose();
        System.IO.Directory.Delete(Directory, recursive: true);
    }
}
