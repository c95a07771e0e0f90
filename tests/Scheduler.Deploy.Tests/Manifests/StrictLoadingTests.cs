using k8s.Models;
using Scheduler.Deploy.Tests.Models;
using Scheduler.Deploy.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace Scheduler.Deploy.Tests.Manifests;

/// <summary>
/// Every YAML file under <c>deploy/</c> and every object every kustomization renders loads into a typed model
/// with strict field checking: a misspelt field or a kind without a model fails.
/// </summary>
public class StrictLoadingTests
{
    public static TheoryData<string> YamlFiles() => [.. DeployPaths.YamlFiles().Select(DeployPaths.Relative)];

    public static TheoryData<string> Kustomizations() => [.. DeployPaths.Kustomizations().Select(DeployPaths.Relative)];

    [Theory]
    [MemberData(nameof(YamlFiles))]
    public void YamlFile_LoadsStrictly(string file)
    {
        var manifests = ManifestLoader.Load(File.ReadAllText(DeployPaths.In(file)), file);

        Assert.NotEmpty(manifests);
    }

    [Theory]
    [MemberData(nameof(Kustomizations))]
    public void Kustomization_RendersObjectsThatLoadStrictly(string directory)
    {
        var manifests = Kustomize.Render(DeployPaths.In(directory));

        Assert.NotEmpty(manifests);
        Assert.Empty(manifests.GroupBy(m => m.Key).Where(g => g.Count() > 1).Select(g => g.Key));
    }

    [Theory]
    [MemberData(nameof(Kustomizations))]
    public void Kustomization_ConfigMapFilesInYaml_LoadStrictly(string directory)
    {
        foreach (var configMap in Kustomize.Render(DeployPaths.In(directory)).Select(m => m.Value).OfType<V1ConfigMap>())
        {
            foreach (var (key, text) in (configMap.Data ?? new Dictionary<string, string>()).Where(p => p.Key.EndsWith(".yaml", StringComparison.Ordinal)))
            {
                Assert.NotEmpty(ManifestLoader.Load(text, $"{directory}: ConfigMap {configMap.Metadata.Name} {key}"));
            }
        }
    }

    [Fact]
    public void Load_MisspeltFieldOfABuiltInKind_Fails()
    {
        const string Yaml = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: carbon-extender
            spec:
              replica: 2
            """;

        var error = Assert.Throws<InvalidDataException>(() => ManifestLoader.Load(Yaml, "test"));

        Assert.Contains("replica", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_MisspeltFieldDeepInAPodTemplate_Fails()
    {
        const string Yaml = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: carbon-extender
            spec:
              template:
                spec:
                  containers:
                    - name: extender
                      securityContext:
                        readOnlyRootFileSystem: true
            """;

        var error = Assert.Throws<InvalidDataException>(() => ManifestLoader.Load(Yaml, "test"));

        Assert.Contains("readOnlyRootFileSystem", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("monitoring.coreos.com/v1", "ServiceMonitor", "spec:\n  endpoint:\n    - port: http\n")]
    [InlineData("monitoring.coreos.com/v1", "PrometheusRule", "spec:\n  groups:\n    - name: g\n      rules:\n        - alert: A\n          expression: up == 0\n")]
    [InlineData("cert-manager.io/v1", "Certificate", "spec:\n  dnsName: [a.svc]\n")]
    [InlineData("cert-manager.io/v1", "Issuer", "spec:\n  selfsigned: {}\n")]
    [InlineData("kubescheduler.config.k8s.io/v1", "KubeSchedulerConfiguration", "extenders:\n  - urlPrefix: https://x\n    nodeCacheCapible: true\n")]
    [InlineData("kubescheduler.config.k8s.io/v1", "KubeSchedulerConfiguration", "extenders:\n  - urlPrefix: https://x\n    enableHttps: true\n")]
    [InlineData("kustomize.config.k8s.io/v1beta1", "Kustomization", "resource:\n  - a.yaml\n")]
    public void Load_MisspeltFieldOfACustomKind_Fails(string apiVersion, string kind, string body)
    {
        var yaml = $"apiVersion: {apiVersion}\nkind: {kind}\n{(kind is "KubeSchedulerConfiguration" or "Kustomization" ? string.Empty : "metadata:\n  name: x\n")}{body}";

        Assert.Throws<InvalidDataException>(() => ManifestLoader.Load(yaml, "test"));
    }

    [Fact]
    public void Load_KindWithoutAModel_Fails()
    {
        var error = Assert.Throws<InvalidDataException>(() => ManifestLoader.Load("apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: x\n", "test"));

        Assert.Contains("no model", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_CorrectCustomKinds_GiveTheirModels()
    {
        var loaded = ManifestLoader.Load(
            """
            apiVersion: kubescheduler.config.k8s.io/v1
            kind: KubeSchedulerConfiguration
            extenders:
              - urlPrefix: https://x
                enableHTTPS: true
                tlsConfig:
                  caFile: /ca.crt
            ---
            apiVersion: cert-manager.io/v1
            kind: Certificate
            metadata:
              name: c
            spec:
              isCA: true
              dnsNames: [a.svc]
            """,
            "test");

        var configuration = Assert.IsType<KubeSchedulerConfiguration>(loaded[0].Value);
        Assert.True(configuration.Extenders.Single().EnableHttps);
        Assert.Equal("/ca.crt", configuration.Extenders.Single().TlsConfig?.CaFile);
        var certificate = Assert.IsType<Certificate>(loaded[1].Value);
        Assert.True(certificate.Spec?.IsCA);
        Assert.Equal(["a.svc"], certificate.Spec?.DnsNames);
    }

    [Fact]
    public void MiniKustomize_UnsupportedKustomizationField_Fails()
    {
        var folder = Directory.CreateTempSubdirectory("kustomize-");
        try
        {
            File.WriteAllText(Path.Combine(folder.FullName, "kustomization.yaml"), "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nnamePrefix: x-\n");

            Assert.ThrowsAny<YamlDotNet.Core.YamlException>(() => MiniKustomize.Build(folder.FullName));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public void YamlTree_Canonical_IgnoresKeyOrderAndQuoting()
    {
        var first = YamlTree.Documents("a: \"1\"\nb: [x, y]\n", "a")[0];
        var second = YamlTree.Documents("b:\n  - x\n  - y\na: 1\n", "b")[0];

        Assert.Equal(YamlTree.Canonical(first), YamlTree.Canonical(second));
        Assert.NotEqual(YamlTree.Canonical(first), YamlTree.Canonical(new YamlMappingNode { { "a", "2" } }));
    }
}
