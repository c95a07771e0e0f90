using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using k8s.Models;
using Scheduler.Deploy.Tests.Support;
using Scheduler.Extender.Hosting;

namespace Scheduler.Deploy.Tests.Certificates;

/// <summary>
/// <c>deploy/certs/generate.sh</c>, run for real with the machine's openssl in a temporary folder: a CA, a serving
/// certificate for the extender's Service name, a client certificate for the scheduler, the Secrets the manifests
/// mount and the webhook's caBundle; checked with <c>openssl verify</c>, by the service's own certificate
/// loading and by a mutual TLS handshake.
/// </summary>
public sealed class GenerateScriptTests : IDisposable
{
    private const string ServerAuth = "1.3.6.1.5.5.7.3.1";
    private const string ClientAuth = "1.3.6.1.5.5.7.3.2";
    private const string Host = "carbon-extender.carbon-system.svc";

    private static readonly string Script = DeployPaths.In("certs", "generate.sh");

    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("carbon-certs-");

    private string Out => Path.Combine(_folder.FullName, "out");

    public void Dispose() => _folder.Delete(recursive: true);

    [Fact]
    public void Script_IsValidPosixShell()
    {
        var check = ProcessRunner.Run("sh", ["-n", Script]);

        Assert.True(check.ExitCode == 0, check.Output);
        Assert.StartsWith("#!/bin/sh\n", File.ReadAllText(Script), StringComparison.Ordinal);
        Assert.Contains("\nset -eu\n", File.ReadAllText(Script), StringComparison.Ordinal);
    }

    [Fact]
    public void Script_WritesCertificatesThatOpensslVerifies()
    {
        Generate();

        foreach (var certificate in new[] { "extender.crt", "scheduler-client.crt" })
        {
            var verify = ProcessRunner.Run("openssl", ["verify", "-CAfile", "ca.crt", certificate], Out);
            Assert.True(verify.ExitCode == 0, verify.Output);
            Assert.Contains($"{certificate}: OK", verify.StandardOutput, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void ServingCertificate_NamesTheService_ForServerAuthOnly()
    {
        Generate();
        using var serving = Certificate(Path.Combine(Out, "extender.crt"));
        using var ca = Certificate(Path.Combine(Out, "ca.crt"));

        var names = serving.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single().EnumerateDnsNames().ToList();
        Assert.Contains(Host, names);
        Assert.Contains($"{Host}.cluster.local", names);
        Assert.Equal([ServerAuth], Usages(serving));
        Assert.False(serving.Extensions.OfType<X509BasicConstraintsExtension>().Single().CertificateAuthority);
        Assert.True(ca.Extensions.OfType<X509BasicConstraintsExtension>().Single().CertificateAuthority);
        Assert.Equal(ca.Subject, serving.Issuer);
    }

    [Fact]
    public void ClientCertificate_IsTheSchedulers_ForClientAuthOnly()
    {
        Generate();
        using var client = Certificate(Path.Combine(Out, "scheduler-client.crt"));

        Assert.Equal("CN=carbon-aware-scheduler", client.Subject);
        Assert.Equal([ClientAuth], Usages(client));
    }

    [Fact]
    public void Secrets_AreTheOnesTheManifestsMount_AndLoadStrictly()
    {
        Generate();
        var secrets = ManifestLoader.Load(File.ReadAllText(Path.Combine(Out, "secrets.yaml")), "secrets.yaml").All<V1Secret>();
        var mounted = Kustomize.Render(DeployPaths.In("overlays", "no-cert-manager")).All<V1Deployment>()
            .SelectMany(d => d.Spec.Template.Spec.Volumes).Where(v => v.Secret is not null).Select(v => v.Secret.SecretName);

        Assert.Equal(mounted.Order(), secrets.Select(s => s.Metadata.Name).Order());
        Assert.All(secrets, secret =>
        {
            Assert.Equal("kubernetes.io/tls", secret.Type);
            Assert.Equal("carbon-system", secret.Metadata.NamespaceProperty);
            Assert.Equal(["ca.crt", "tls.crt", "tls.key"], secret.Data.Keys.Order());
            Assert.Equal(File.ReadAllBytes(Path.Combine(Out, "ca.crt")), secret.Data["ca.crt"]);
        });
        Assert.Equal(File.ReadAllBytes(Path.Combine(Out, "extender.crt")), secrets.Single(s => s.Metadata.Name == "carbon-extender-tls").Data["tls.crt"]);
    }

    [Fact]
    public void ServingSecret_IsAcceptedByTheServicesTlsSettings()
    {
        Generate();
        var (certificate, key) = WriteSecret("carbon-extender-tls");

        Assert.Empty(new TlsOptions { CertificateFile = certificate, KeyFile = key }.Validate());
    }

    [Fact]
    public async Task Secrets_GiveAMutualTlsHandshake_ToTheServicesNameOnly()
    {
        Generate();
        using var ca = Certificate(Path.Combine(Out, "ca.crt"));
        using var server = Load("carbon-extender-tls");
        using var client = Load("carbon-scheduler-client-tls");

        Assert.True(await HandshakeAsync(ca, server, client, Host));
        Assert.False(await HandshakeAsync(ca, server, client, "carbon-extender.other.svc"));
        Assert.False(await HandshakeAsync(ca, client, client, Host));
    }

    [Fact]
    public void WebhookPatch_SetsEveryWebhooksCaBundleToTheCa()
    {
        Generate();
        using var patch = JsonDocument.Parse(File.ReadAllText(Path.Combine(Out, "webhook-ca-patch.json")));
        var webhooks = Kustomize.Render(DeployPaths.In("overlays", "no-cert-manager")).Named<V1MutatingWebhookConfiguration>("carbon-aware").Webhooks;
        var ca = Convert.ToBase64String(File.ReadAllBytes(Path.Combine(Out, "ca.crt")));

        var operations = patch.RootElement.EnumerateArray().ToList();
        Assert.Equal(webhooks.Count, operations.Count);
        for (var i = 0; i < operations.Count; i++)
        {
            Assert.Equal("add", operations[i].GetProperty("op").GetString());
            Assert.Equal($"/webhooks/{i}/clientConfig/caBundle", operations[i].GetProperty("path").GetString());
            Assert.Equal(ca, operations[i].GetProperty("value").GetString());
        }
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void Script_PrintsNoKey_AndKeepsKeysPrivate()
    {
        var run = Generate();
        var keys = Directory.GetFiles(Out).Where(f => f.EndsWith(".key", StringComparison.Ordinal)).ToList();

        Assert.DoesNotContain("PRIVATE KEY", run.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("LS0t", run.Output, StringComparison.Ordinal);
        Assert.Equal([Path.Combine(Out, "ca.key")], keys);
        foreach (var file in Directory.GetFiles(Out))
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        }
    }

    [Fact]
    public void Script_RunAgain_KeepsTheCa_AndIssuesNewCertificates()
    {
        Generate();
        var ca = File.ReadAllText(Path.Combine(Out, "ca.crt"));
        var serving = File.ReadAllText(Path.Combine(Out, "extender.crt"));

        Generate();

        Assert.Equal(ca, File.ReadAllText(Path.Combine(Out, "ca.crt")));
        Assert.NotEqual(serving, File.ReadAllText(Path.Combine(Out, "extender.crt")));
        var verify = ProcessRunner.Run("openssl", ["verify", "-CAfile", "ca.crt", "extender.crt"], Out);
        Assert.True(verify.ExitCode == 0, verify.Output);
    }

    [Fact]
    public void Script_OtherNamespaceAndService_NameThemInTheCertificateAndSecrets()
    {
        Generate("-n", "scheduling", "-s", "carbon");
        using var serving = Certificate(Path.Combine(Out, "extender.crt"));

        Assert.Contains("carbon.scheduling.svc", serving.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single().EnumerateDnsNames());
        Assert.All(ManifestLoader.Load(File.ReadAllText(Path.Combine(Out, "secrets.yaml")), "secrets.yaml").All<V1Secret>(), s => Assert.Equal("scheduling", s.Metadata.NamespaceProperty));
    }

    [Theory]
    [InlineData("-d", "ninety")]
    [InlineData("-n", "Carbon_System")]
    [InlineData("-x", "")]
    public void Script_BadArgument_StopsWithoutWritingAnything(string option, string value)
    {
        var run = ProcessRunner.Run("sh", [Script, "-o", Out, option, .. value.Length > 0 ? new[] { value } : []], _folder.FullName);

        Assert.Equal(2, run.ExitCode);
        Assert.False(Directory.Exists(Out));
    }

    private ProcessRunner.Result Generate(params string[] options)
    {
        var run = ProcessRunner.Run("sh", [Script, "-o", Out, .. options], _folder.FullName);
        Assert.True(run.ExitCode == 0, run.Output);
        return run;
    }

    private (string Certificate, string Key) WriteSecret(string name)
    {
        var secret = ManifestLoader.Load(File.ReadAllText(Path.Combine(Out, "secrets.yaml")), "secrets.yaml").Named<V1Secret>(name);
        var certificate = Path.Combine(_folder.FullName, $"{name}.crt");
        var key = Path.Combine(_folder.FullName, $"{name}.key");
        File.WriteAllBytes(certificate, secret.Data["tls.crt"]);
        File.WriteAllBytes(key, secret.Data["tls.key"]);
        return (certificate, key);
    }

    private X509Certificate2 Load(string secret)
    {
        var (certificate, key) = WriteSecret(secret);
        return X509Certificate2.CreateFromPemFile(certificate, key);
    }

    private static X509Certificate2 Certificate(string path) => X509Certificate2.CreateFromPem(File.ReadAllText(path));

    private static List<string?> Usages(X509Certificate2 certificate) =>
        [.. certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>().Single().EnhancedKeyUsages.Cast<System.Security.Cryptography.Oid>().Select(o => o.Value)];

    /// <summary>A TLS handshake over loopback, each side trusting only the CA; true when both accept the other.</summary>
    private static async Task<bool> HandshakeAsync(X509Certificate2 ca, X509Certificate2 serverCertificate, X509Certificate2 clientCertificate, string targetHost)
    {
        X509ChainPolicy Policy(string usage)
        {
            var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
            policy.CustomTrustStore.Add(ca);
            policy.ApplicationPolicy.Add(new System.Security.Cryptography.Oid(usage));
            return policy;
        }

        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var serverSide = Task.Run(async () =>
        {
            using var accepted = await listener.AcceptTcpClientAsync(timeout.Token);
            await using var stream = new SslStream(accepted.GetStream());
            try
            {
                await stream.AuthenticateAsServerAsync(
                    new SslServerAuthenticationOptions
                    {
                        ServerCertificate = serverCertificate,
                        ClientCertificateRequired = true,
                        CertificateChainPolicy = Policy(ClientAuth),
                        RemoteCertificateValidationCallback = (_, certificate, _, errors) => certificate is not null && errors == SslPolicyErrors.None,
                    },
                    timeout.Token);
                return true;
            }
            catch (Exception e) when (e is System.Security.Authentication.AuthenticationException or IOException)
            {
                return false;
            }
        });

        using var connection = new TcpClient();
        await connection.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port, timeout.Token);
        await using var client = new SslStream(connection.GetStream());
        bool clientAccepted;
        try
        {
            await client.AuthenticateAsClientAsync(
                new SslClientAuthenticationOptions
                {
                    TargetHost = targetHost,
                    ClientCertificates = [clientCertificate],
                    CertificateChainPolicy = Policy(ServerAuth),
                    RemoteCertificateValidationCallback = (_, _, _, errors) => errors == SslPolicyErrors.None,
                },
                timeout.Token);
            // TLS 1.3 checks the client certificate after the client's side is done: wait for the server's verdict.
            await client.WriteAsync(new byte[] { 1 }, timeout.Token);
            clientAccepted = true;
        }
        catch (Exception e) when (e is System.Security.Authentication.AuthenticationException or IOException)
        {
            clientAccepted = false;
        }

        connection.Close();
        var serverAccepted = await serverSide;
        return clientAccepted && serverAccepted;
    }
}
