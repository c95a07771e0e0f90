using k8s.Models;
using Scheduler.Deploy.Tests.Support;
using Scheduler.Extender.Hosting;

namespace Scheduler.Deploy.Tests.Extender;

/// <summary>The extender's Deployment, PodDisruptionBudget and Service as the default overlay installs them.</summary>
public class ExtenderDeploymentTests
{
    private static IReadOnlyList<Manifest> Default => Kustomize.Render(DeployPaths.In("overlays", "default"));

    private static V1Deployment Extender => Default.Named<V1Deployment>("carbon-extender");

    public static TheoryData<string> Overlays() => [.. Directory.GetDirectories(DeployPaths.In("overlays")).Select(DeployPaths.Relative)];

    [Theory]
    [MemberData(nameof(Overlays))]
    public void EveryDeploymentContainer_HasResourcesProbesAndARestrictedSecurityContext(string overlay)
    {
        var deployments = Kustomize.Render(DeployPaths.In(overlay)).All<V1Deployment>();

        Assert.NotEmpty(deployments);
        foreach (var deployment in deployments)
        {
            var pod = deployment.Spec.Template.Spec;
            Assert.Equal("RuntimeDefault", pod.SecurityContext?.SeccompProfile?.Type);
            Assert.False(pod.HostNetwork ?? false);
            foreach (var container in pod.Containers)
            {
                var where = $"{deployment.Metadata.Name}/{container.Name} in {overlay}";
                Assert.True(container.Resources?.Requests?.ContainsKey("cpu") == true, $"{where}: no CPU request");
                Assert.True(container.Resources?.Requests?.ContainsKey("memory") == true, $"{where}: no memory request");
                Assert.True(container.Resources?.Limits?.ContainsKey("memory") == true, $"{where}: no memory limit");
                Assert.True(container.LivenessProbe is not null, $"{where}: no liveness probe");
                Assert.True(container.ReadinessProbe is not null, $"{where}: no readiness probe");
                Assert.True(container.SecurityContext?.RunAsNonRoot ?? pod.SecurityContext?.RunAsNonRoot, $"{where}: may run as root");
                Assert.True(container.SecurityContext?.ReadOnlyRootFilesystem, $"{where}: writable root file system");
                Assert.False(container.SecurityContext?.AllowPrivilegeEscalation ?? true, $"{where}: privilege escalation allowed");
                Assert.Equal(["ALL"], container.SecurityContext?.Capabilities?.Drop);
                Assert.Null(container.SecurityContext?.Capabilities?.Add);
                Assert.False(container.SecurityContext?.Privileged ?? false, $"{where}: privileged");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void NoEnvironmentVariable_HoldsASecretInPlainText(string overlay)
    {
        foreach (var container in Kustomize.Render(DeployPaths.In(overlay)).All<V1Deployment>().SelectMany(d => d.Spec.Template.Spec.Containers))
        {
            foreach (var variable in container.Env ?? [])
            {
                var secretLike = new[] { "PASSWORD", "TOKEN", "SECRET", "CONNECTIONSTRING", "APIKEY" }
                    .Any(word => variable.Name.Replace("_", string.Empty, StringComparison.Ordinal).Contains(word, StringComparison.OrdinalIgnoreCase))
                    && !variable.Name.EndsWith("File", StringComparison.Ordinal);
                Assert.False(secretLike && variable.Value is not null, $"{container.Name}: {variable.Name} has a literal value; secrets come from a Secret (a file, or secretKeyRef).");
            }
        }
    }

    [Fact]
    public void Extender_HasTwoReplicasSpreadOverNodesAndZones()
    {
        var spec = Extender.Spec;

        Assert.True(spec.Replicas >= 2);
        Assert.Equal(0, spec.Strategy.RollingUpdate.MaxUnavailable?.ToInt());
        var keys = spec.Template.Spec.TopologySpreadConstraints.Select(c => c.TopologyKey).ToList();
        Assert.Contains("kubernetes.io/hostname", keys);
        Assert.Contains("topology.kubernetes.io/zone", keys);
        Assert.All(spec.Template.Spec.TopologySpreadConstraints, c => Assert.Equal(spec.Selector.MatchLabels, c.LabelSelector.MatchLabels));
    }

    [Fact]
    public void PodDisruptionBudget_KeepsOneExtenderOfTheDeployment()
    {
        var budget = Default.Named<V1PodDisruptionBudget>("carbon-extender");

        Assert.Equal(1, budget.Spec.MinAvailable?.ToInt());
        Assert.Equal(Extender.Spec.Selector.MatchLabels, budget.Spec.Selector.MatchLabels);
        Assert.Equal(Extender.Metadata.NamespaceProperty, budget.Metadata.NamespaceProperty);
    }

    [Fact]
    public void Probes_AskTheServicesOwnHealthEndpointsOnItsHttpPort()
    {
        var container = Extender.Container("extender");

        Assert.Equal("/readyz", container.ReadinessProbe.HttpGet.Path);
        Assert.Equal("/healthz", container.LivenessProbe.HttpGet.Path);
        Assert.Equal("/healthz", container.StartupProbe.HttpGet.Path);
        foreach (var probe in new[] { container.ReadinessProbe, container.LivenessProbe, container.StartupProbe })
        {
            Assert.Contains(probe.HttpGet.Path, AppRoutes.All);
            Assert.Equal("http", probe.HttpGet.Port.Value);
            Assert.Equal(new Uri(ExtenderApp.DefaultUrl).Port, container.Ports.Single(p => p.Name == "http").ContainerPort);
        }
    }

    [Fact]
    public void Tls_FilesComeFromTheServingCertificatesSecret_OnTheHttpsPort()
    {
        var container = Extender.Container("extender");

        Assert.Equal(container.Ports.Single(p => p.Name == "https").ContainerPort.ToString(System.Globalization.CultureInfo.InvariantCulture), container.Env("Tls__Port"));
        Assert.Equal(TlsOptions.DefaultPort.ToString(System.Globalization.CultureInfo.InvariantCulture), container.Env("Tls__Port"));
        foreach (var (variable, key) in new[] { ("Tls__CertificateFile", "tls.crt"), ("Tls__KeyFile", "tls.key"), ("Tls__ClientCaFile", "ca.crt") })
        {
            var file = container.Env(variable) ?? throw new InvalidOperationException($"{variable} is not set.");
            var (mount, volume) = Extender.MountOf(container, file);
            Assert.True(mount.ReadOnlyProperty);
            Assert.Equal("carbon-extender-tls", volume.Secret?.SecretName);
            Assert.Equal(key, volume.KeyIn(mount, file));
        }
    }

    [Fact]
    public void Extender_RunsTheClusterFeaturesAndKnowsItsNamespace()
    {
        var container = Extender.Container("extender");

        Assert.Equal("true", container.Env("Kubernetes__Enabled"));
        Assert.Equal("true", container.Env("Deferral__Enabled"));
        Assert.Null(container.Env("Deferral__DryRun"));
        Assert.Equal("metadata.namespace", container.Env?.Single(e => e.Name == "POD_NAMESPACE").ValueFrom.FieldRef.FieldPath);
        Assert.Equal("carbon-extender", Extender.Spec.Template.Spec.ServiceAccountName);
    }

    [Fact]
    public void WritableFolders_AreOnlyAnEmptyDirAtTmp()
    {
        var pod = Extender.Spec.Template.Spec;
        var writable = pod.Containers.Single().VolumeMounts.Where(m => m.ReadOnlyProperty != true).ToList();

        Assert.Equal(["/tmp"], writable.Select(m => m.MountPath));
        Assert.NotNull(pod.Volumes.Single(v => v.Name == writable[0].Name).EmptyDir);
    }

    [Fact]
    public void DryRunOverlay_SetsDryRun_AndChangesNothingElse()
    {
        var dryRun = Kustomize.Render(DeployPaths.In("overlays", "dry-run"));
        var container = dryRun.Named<V1Deployment>("carbon-extender").Container("extender");

        Assert.Equal("true", container.Env("Deferral__DryRun"));
        Assert.Equal(Default.Select(m => m.Key).Order(), dryRun.Select(m => m.Key).Order());
    }

    [Fact]
    public void DefaultSchedulerOverlay_RecordsJobsForTheDefaultSchedulerAsPlacedByTheExtender()
    {
        var overlay = Kustomize.Render(DeployPaths.In("overlays", "default-scheduler"));
        var container = overlay.Named<V1Deployment>("carbon-extender").Container("extender");

        Assert.Equal("default-scheduler", container.Env("Deferral__LedgerSchedulerNames__0"));
        Assert.Null(Extender.Container("extender").Env("Deferral__LedgerSchedulerNames__0"));
        Assert.Equal("true", container.Env("Deferral__Enabled"));
    }

    [Fact]
    public void PostgresOverlay_ReadsTheConnectionStringFromASecretKey_AndThePasswordFromASecretFile()
    {
        var postgres = Kustomize.Render(DeployPaths.In("overlays", "postgres"));
        var deployment = postgres.Named<V1Deployment>("carbon-extender");
        var container = deployment.Container("extender");

        var connection = container.Env.Single(e => e.Name == "Storage__ConnectionString");
        Assert.Null(connection.Value);
        Assert.Equal(("carbon-postgres", "connection-string"), (connection.ValueFrom.SecretKeyRef.Name, connection.ValueFrom.SecretKeyRef.Key));
        var passwordFile = container.Env("Storage__PasswordFile") ?? throw new InvalidOperationException("Storage__PasswordFile is not set.");
        var (mount, volume) = deployment.MountOf(container, passwordFile);
        Assert.True(mount.ReadOnlyProperty);
        Assert.Equal("carbon-postgres", volume.Secret?.SecretName);
        Assert.Equal("password", volume.KeyIn(mount, passwordFile));
        Assert.DoesNotContain(postgres, m => m.Value is V1Secret);
    }

    [Fact]
    public void PostgresSecretExample_HoldsPlaceholdersOnly()
    {
        var secret = ManifestLoader.Load(File.ReadAllText(DeployPaths.In("overlays", "postgres", "secret.example.yaml")), "secret.example.yaml").All<V1Secret>().Single();

        Assert.Equal("carbon-postgres", secret.Metadata.Name);
        Assert.Equal(["connection-string", "password"], secret.StringData.Keys.Order());
        Assert.StartsWith("REPLACE-", secret.StringData["password"], StringComparison.Ordinal);
        Assert.Contains("REPLACE-", secret.StringData["connection-string"], StringComparison.Ordinal);
        Assert.DoesNotContain("password", secret.StringData["connection-string"], StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Service_PortsAreTheContainersPorts_AndItSelectsTheExtenderPods()
    {
        var service = Default.Named<V1Service>("carbon-extender");
        var container = Extender.Container("extender");

        Assert.Equal(Extender.Spec.Selector.MatchLabels, service.Spec.Selector);
        Assert.All(service.Spec.Selector, label => Assert.Equal(label.Value, Extender.Spec.Template.Metadata.Labels[label.Key]));
        Assert.Equal(["http", "https"], service.Spec.Ports.Select(p => p.Name).Order());
        foreach (var port in service.Spec.Ports)
        {
            var target = container.Ports.Single(p => p.Name == port.TargetPort.Value);
            Assert.Equal(target.ContainerPort, port.Port);
            Assert.Equal(target.Name, port.Name);
        }
    }
}
