using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Scheduler.Extender.Tests.Fixtures;

/// <summary>
/// A self-signed server certificate for 127.0.0.1 and localhost, written as PEM files into a temp
/// directory (as a mounted cert-manager Secret would hold them), and clients that trust only it.
/// </summary>
public sealed class TestCertificate : IDisposable
{
    private TestCertificate(X509Certificate2 certificate, string directory)
    {
        Certificate = certificate;
        Directory = directory;
    }

    public X509Certificate2 Certificate { get; }

    public string Directory { get; }

    public string CertificateFile => Path.Combine(Directory, "tls.crt");

    public string KeyFile => Path.Combine(Directory, "tls.key");

    /// <summary>The settings that switch the HTTPS listener on with these files, on any free port.</summary>
    public string[] Settings => ["--Tls:CertificateFile", CertificateFile, "--Tls:KeyFile", KeyFile, "--Tls:Port", "0"];

    public static TestCertificate Create(string subject = "CN=carbon-extender.carbon-system.svc")
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        names.AddDnsName("carbon-extender.carbon-system.svc");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var now = DateTimeOffset.UtcNow;
        var certificate = request.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(1));

        var directory = Path.Combine(Path.GetTempPath(), $"tls-{Guid.NewGuid():N}");
        System.IO.Directory.CreateDirectory(directory);
        var created = new TestCertificate(certificate, directory);
        File.WriteAllText(created.CertificateFile, certificate.ExportCertificatePem());
        File.WriteAllText(created.KeyFile, key.ExportPkcs8PrivateKeyPem());
        return created;
    }

    /// <summary>An HTTPS client whose only trust anchor is this certificate (no system roots, name checked).</summary>
    public HttpClient Client(Uri address) => Client(address, clientCertificate: null);

    /// <summary>The same client, presenting <paramref name="clientCertificate"/> when the server asks for one.</summary>
    public HttpClient Client(Uri address, X509Certificate2? clientCertificate)
    {
        var handler = new SocketsHttpHandler();
        if (clientCertificate is not null)
        {
            handler.SslOptions.ClientCertificates = [clientCertificate];
            handler.SslOptions.LocalCertificateSelectionCallback = (_, _, _, _, _) => clientCertificate;
        }

        handler.SslOptions.CertificateChainPolicy = new X509ChainPolicy
        {
            TrustMode = X509ChainTrustMode.CustomRootTrust,
            RevocationMode = X509RevocationMode.NoCheck,
            CustomTrustStore = { X509CertificateLoader.LoadCertificate(Certificate.RawData) },
        };
        return new HttpClient(handler) { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
    }

    public void Dispose()
    {
        Certificate.Dispose();
        System.IO.Directory.Delete(Directory, recursive: true);
    }
}
