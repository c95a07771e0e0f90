using k8s.Models;
using Scheduler.Deploy.Tests.Models;
using Scheduler.Deploy.Tests.Support;

namespace Scheduler.Deploy.Tests.Scheduling;

/// <summary>
/// The carbon-aware scheduler (a second kube-scheduler) and the configuration for the default scheduler: the
/// extender entry reaches the service over verified HTTPS, never blocks scheduling, and the scheduler has the
/// files, rights and Lease it needs.
/// </summary>
public class SchedulerConfigurationTests
{
    private static IReadOnlyList<Manifest> Default => Kustomize.Render(DeployPaths.In("overlays", "default"));

    private static V1Deployment Scheduler => Default.Named<V1Deployment>("carbon-aware-scheduler");

    private static V1Container KubeScheduler => Scheduler.Container("kube-scheduler");

    /// <summary>The configuration file the scheduler's --config names, read from the ConfigMap mounted there.</summary>
    private static KubeSchedulerConfiguration SecondScheduler
    {
        get
        {
            var file = KubeScheduler.Command.Single(a => a.StartsWith("--config=", StringComparison.Ordinal))["--config=".Length..];
            var (mount, volume) = Scheduler.MountOf(KubeScheduler, file);
            var configMap = Default.Named<V1ConfigMap>(volume.ConfigMap.Name);
            var text = configMap.Data[volume.KeyIn(mount, file)];
            return ManifestLoader.Load(text, file).All<KubeSchedulerConfiguration>().Single();
        }
    }

    private static KubeSchedulerConfiguration DefaultScheduler =>
        ManifestLoader.Load(File.ReadAllText(DeployPaths.In("overlays", "default-scheduler", "kube-scheduler-config.yaml")), "kube-scheduler-config.yaml")
            .All<KubeSchedulerConfiguration>().Single();

    public static TheoryData<string> Configurations() => ["second scheduler", "default scheduler"];

    private static KubeSchedulerConfiguration ConfigurationOf(string which) => which == "second scheduler" ? SecondScheduler : DefaultScheduler;

    [Fact]
    public void SecondScheduler_RunsOnlyTheCarbonAwareProfile()
    {
        Assert.Equal(["carbon-aware"], SecondScheduler.Profiles.Select(p => p.SchedulerName));
    }

    [Fact]
    public void DefaultScheduler_KeepsTheDefaultProfile()
    {
        Assert.Equal(["default-scheduler"], DefaultScheduler.Profiles.Select(p => p.SchedulerName));
        Assert.Equal("/etc/kubernetes/scheduler.conf", DefaultScheduler.ClientConnection?.Kubeconfig);
    }

    [Theory]
    [MemberData(nameof(Configurations))]
    public void Extender_IsCalledOverVerifiedHttpsOnTheServicesPort(string which)
    {
        var extender = Assert.Single(ConfigurationOf(which).Extenders);
        var service = Default.Named<V1Service>("carbon-extender");
        var url = new Uri(extender.UrlPrefix!);

        Assert.Equal("https", url.Scheme);
        Assert.Equal($"{service.Metadata.Name}.{service.Metadata.NamespaceProperty}.svc", url.Host);
        Assert.Equal(service.Spec.Ports.Single(p => p.Name == "https").Port, url.Port);
        Assert.True(extender.EnableHttps);
        Assert.NotEqual(true, extender.TlsConfig?.Insecure);
        Assert.False(string.IsNullOrEmpty(extender.TlsConfig?.CaFile), "without caFile the scheduler does not verify the extender's certificate");
        Assert.Contains(url.Host, Default.Named<Certificate>("carbon-extender-tls").Spec!.DnsNames);
    }

    [Theory]
    [MemberData(nameof(Configurations))]
    public void Extender_NeverBlocksScheduling_AndUsesTheServicesRoutes(string which)
    {
        var extender = Assert.Single(ConfigurationOf(which).Extenders);

        Assert.True(extender.Ignorable);
        Assert.True(extender.NodeCacheCapable);
        Assert.InRange(extender.Weight ?? 0, 1, 10);
        Assert.InRange(ParseGoDuration(extender.HttpTimeout!), TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(5));
        Assert.Contains("/" + extender.FilterVerb, AppRoutes.All);
        Assert.Contains("/" + extender.PrioritizeVerb, AppRoutes.All);
        Assert.Null(extender.BindVerb);
        Assert.Null(extender.PreemptVerb);
    }

    [Fact]
    public void SecondScheduler_ReadsItsCaAndClientCertificateFromTheClientCertificatesSecret()
    {
        var tls = Assert.Single(SecondScheduler.Extenders).TlsConfig!;
        var certificate = Default.Named<Certificate>("carbon-scheduler-client");

        foreach (var (file, key) in new[] { (tls.CaFile!, "ca.crt"), (tls.CertFile!, "tls.crt"), (tls.KeyFile!, "tls.key") })
        {
            var (mount, volume) = Scheduler.MountOf(KubeScheduler, file);
            Assert.True(mount.ReadOnlyProperty);
            Assert.Equal(certificate.Spec?.SecretName, volume.Secret?.SecretName);
            Assert.Equal(key, volume.KeyIn(mount, file));
        }

        // The client certificate's Secret carries the CA that signed the serving certificate.
        Assert.Equal(certificate.Spec?.IssuerRef?.Name, Default.Named<Certificate>("carbon-extender-tls").Spec?.IssuerRef?.Name);
    }

    [Fact]
    public void DefaultScheduler_ReadsItsFilesFromTheFolderThePodPatchMounts()
    {
        var tls = Assert.Single(DefaultScheduler.Extenders).TlsConfig!;
        var pod = ManifestLoader.Load(File.ReadAllText(DeployPaths.In("overlays", "default-scheduler", "kube-scheduler-pod.yaml")), "kube-scheduler-pod.yaml").All<V1Pod>().Single();
        var container = pod.Spec.Containers.Single();
        var folder = container.VolumeMounts.Single().MountPath;

        Assert.All(new[] { tls.CaFile!, tls.CertFile!, tls.KeyFile! }, file => Assert.StartsWith(folder + "/", file, StringComparison.Ordinal));
        Assert.Contains($"--config={folder}/kube-scheduler-config.yaml", container.Command);
        Assert.Equal(folder, pod.Spec.Volumes.Single().HostPath.Path);
        Assert.Equal("ClusterFirstWithHostNet", pod.Spec.DnsPolicy);
    }

    [Fact]
    public void SecondScheduler_ElectsItsLeaderOnALeaseItMayRenew()
    {
        var election = SecondScheduler.LeaderElection!;
        var serviceAccount = Scheduler.Spec.Template.Spec.ServiceAccountName;
        var roles = Bound(serviceAccount, election.ResourceNamespace!);

        Assert.True(election.LeaderElect);
        Assert.Equal("leases", election.ResourceLock);
        Assert.Contains(roles.SelectMany(r => r.Rules), rule =>
            rule.ApiGroups.Contains("coordination.k8s.io") && rule.Resources.Contains("leases")
            && rule.ResourceNames.Contains(election.ResourceName!) && rule.Verbs.Contains("get") && rule.Verbs.Contains("update"));
        Assert.True(Scheduler.Spec.Replicas >= 2);
    }

    [Fact]
    public void SecondScheduler_HasTheRightsOfAKubeScheduler()
    {
        var serviceAccount = Scheduler.Spec.Template.Spec.ServiceAccountName;
        var clusterRoles = Default.All<V1ClusterRoleBinding>()
            .Where(b => b.Subjects.Any(s => s.Kind == "ServiceAccount" && s.Name == serviceAccount && s.NamespaceProperty == "carbon-system"))
            .Select(b => b.RoleRef.Name);
        var authenticationReader = Default.All<V1RoleBinding>().Single(b => b.Metadata.NamespaceProperty == "kube-system");

        Assert.Equal(["system:kube-scheduler", "system:volume-scheduler"], clusterRoles.Order());
        Assert.Equal(("Role", "extension-apiserver-authentication-reader"), (authenticationReader.RoleRef.Kind, authenticationReader.RoleRef.Name));
        Assert.Contains(authenticationReader.Subjects, s => s.Name == serviceAccount && s.NamespaceProperty == "carbon-system");
        Assert.NotNull(Default.Where(m => m.Value is V1ServiceAccount && m.Name == serviceAccount && m.Namespace == "carbon-system").SingleOrDefault());
    }

    [Fact]
    public void Examples_AskForTheCarbonAwareProfile()
    {
        var profile = SecondScheduler.Profiles.Single().SchedulerName;
        var templates = Directory.GetFiles(DeployPaths.In("examples"), "*.yaml")
            .SelectMany(f => ManifestLoader.Load(File.ReadAllText(f), f))
            .Select(m => m.Value switch
            {
                V1Job job => job.Spec.Template.Spec,
                V1CronJob cron => cron.Spec.JobTemplate.Spec.Template.Spec,
                _ => null,
            })
            .OfType<V1PodSpec>()
            .ToList();

        Assert.Equal(3, templates.Count);
        Assert.All(templates, spec => Assert.Equal(profile, spec.SchedulerName));
    }

    private static List<V1Role> Bound(string serviceAccount, string ns) =>
        [.. Default.All<V1RoleBinding>()
            .Where(b => b.Metadata.NamespaceProperty == ns && b.RoleRef.Kind == "Role"
                && b.Subjects.Any(s => s.Kind == "ServiceAccount" && s.Name == serviceAccount))
            .Select(b => Default.All<V1Role>().Single(r => r.Metadata.Name == b.RoleRef.Name && r.Metadata.NamespaceProperty == ns))];

    /// <summary>A Go duration of the forms kube-scheduler's configuration uses: <c>2s</c>, <c>500ms</c>, <c>1m30s</c>.</summary>
    private static TimeSpan ParseGoDuration(string text)
    {
        var total = TimeSpan.Zero;
        foreach (System.Text.RegularExpressions.Match part in System.Text.RegularExpressions.Regex.Matches(text, "([0-9.]+)(ms|s|m|h)"))
        {
            var value = double.Parse(part.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            total += part.Groups[2].Value switch
            {
                "ms" => TimeSpan.FromMilliseconds(value),
                "s" => TimeSpan.FromSeconds(value),
                "m" => TimeSpan.FromMinutes(value),
                _ => TimeSpan.FromHours(value),
            };
        }

        return total;
    }
}
