using System.Globalization;
using System.Text.Json;

namespace Scheduler.LoadTest.Payloads;

/// <summary>
/// Writes one Kubernetes Node the way kube-scheduler sends it (compact JSON, Go field order): the
/// labels, annotations, taints, conditions, addresses, node info and image list of a real managed
/// cloud node, because the extender's cost is dominated by the bytes it must step over, not by the
/// few fields it reads.
/// </summary>
internal static class NodeJsonWriter
{
    /// <summary>The clock every generated timestamp hangs off, so that the bytes do not depend on when they were made.</summary>
    public static readonly DateTimeOffset Epoch = new(2025, 6, 2, 8, 0, 0, TimeSpan.Zero);

    private static readonly string[] Conditions = ["MemoryPressure", "DiskPressure", "PIDPressure", "KernelDeadlock", "Ready"];

    // The system images every node of a managed cluster pulls: (repository, tag, approximate size in MB).
    private static readonly (string Repository, string Tag, int Megabytes)[] SystemImages =
    [
        ("602401143452.dkr.ecr.{0}.amazonaws.com/amazon-k8s-cni", "v1.18.5-eksbuild.1", 46),
        ("602401143452.dkr.ecr.{0}.amazonaws.com/amazon-k8s-cni-init", "v1.18.5-eksbuild.1", 61),
        ("602401143452.dkr.ecr.{0}.amazonaws.com/eks/kube-proxy", "v1.31.2-minimal-eksbuild.3", 37),
        ("602401143452.dkr.ecr.{0}.amazonaws.com/eks/aws-ebs-csi-driver", "v1.36.0", 91),
        ("602401143452.dkr.ecr.{0}.amazonaws.com/eks/csi-node-driver-registrar", "v2.12.0-eks-1-31-7", 11),
        ("public.ecr.aws/aws-observability/aws-for-fluent-bit", "2.32.2.20241008", 127),
        ("quay.io/prometheus/node-exporter", "v1.8.2", 12),
    ];

    private static readonly (string Repository, string Tag, int Megabytes)[] GpuImages =
    [
        ("nvcr.io/nvidia/k8s-device-plugin", "v0.16.2", 152),
        ("nvcr.io/nvidia/k8s/dcgm-exporter", "3.3.8-3.6.0-ubuntu22.04", 462),
        ("nvcr.io/nvidia/pytorch", "24.09-py3", 10_382),
    ];

    private static readonly (string Repository, string Tag, int Megabytes)[] AppImages =
    [
        ("123456789012.dkr.ecr.{0}.amazonaws.com/shop/checkout", "2025.05.28-3f9c2e1", 212),
        ("123456789012.dkr.ecr.{0}.amazonaws.com/shop/catalog", "2025.05.30-a81d7c4", 188),
        ("123456789012.dkr.ecr.{0}.amazonaws.com/data/etl-runner", "1.42.0", 1_034),
        ("docker.io/library/redis", "7.4.1-alpine", 17),
        ("docker.io/bitnami/postgresql", "16.4.0-debian-12-r14", 104),
        ("registry.k8s.io/ingress-nginx/controller", "v1.11.3", 105),
    ];

    /// <summary>Writes node <paramref name="index"/> and returns its name.</summary>
    public static string Write(Utf8JsonWriter writer, Random random, int index, NodeSite site, InstanceShape shape)
    {
        var ip = $"10.{20 + (index >> 16)}.{(index >> 8) & 0xff}.{index & 0xff}";
        var az = site.IsCloud ? site.Region + (char)('a' + random.Next(3)) : null;
        var name = site.IsCloud
            ? $"ip-{ip.Replace('.', '-')}.{site.Region}.compute.internal"
            : $"worker-r{random.Next(1, 40):D2}-{index:D5}.dc.example.internal";
        var instanceId = "i-0" + Hex(random, 16);
        var spot = random.Next(4) == 0;
        var pool = shape.HasGpus ? "gpu-" + shape.GpuFamily : shape.Arch == "arm64" ? "general-arm" : "general";

        writer.WriteStartObject();
        writer.WriteStartObject("metadata");
        writer.WriteString("name", name);
        writer.WriteString("uid", Uuid(random));
        writer.WriteString("resourceVersion", random.Next(100_000_000, 999_999_999).ToString(CultureInfo.InvariantCulture));
        writer.WriteString("creationTimestamp", Time(Epoch.AddMinutes(-random.Next(60, 60 * 24 * 90))));
        WriteLabels(writer, random, name, site, shape, az, spot, pool);
        WriteAnnotations(writer, ip, instanceId, shape);
        writer.WriteEndObject();

        writer.WriteStartObject("spec");
        var cidr = $"100.{64 + (index >> 14)}.{(index >> 6) & 0xff}.{(index & 0x3f) << 2}/26";
        writer.WriteString("podCIDR", cidr);
        writer.WriteStartArray("podCIDRs");
        writer.WriteStringValue(cidr);
        writer.WriteEndArray();
        writer.WriteString("providerID", site.IsCloud ? $"aws:///{az}/{instanceId}" : $"baremetal://{name}");
        if (shape.HasGpus || spot)
        {
            writer.WriteStartArray("taints");
            if (shape.HasGpus)
            {
                WriteTaint(writer, "nvidia.com/gpu", "present", "NoSchedule");
            }

            if (spot)
            {
                WriteTaint(writer, "eks.amazonaws.com/capacityType", "SPOT", "PreferNoSchedule");
            }

            writer.WriteEndArray();
        }

        writer.WriteEndObject();

        writer.WriteStartObject("status");
        WriteResources(writer, "capacity", shape, allocatable: false);
        WriteResources(writer, "allocatable", shape, allocatable: true);
        WriteConditions(writer, random);
        WriteAddresses(writer, random, name, ip, site);
        writer.WriteStartObject("daemonEndpoints");
        writer.WriteStartObject("kubeletEndpoint");
        writer.WriteNumber("Port", 10250);
        writer.WriteEndObject();
        writer.WriteEndObject();
        WriteNodeInfo(writer, random, shape, site);
        WriteImages(writer, random, site, shape);
        writer.WriteEndObject();
        writer.WriteEndObject();
        return name;
    }

    private static void WriteLabels(Utf8JsonWriter writer, Random random, string name, NodeSite site, InstanceShape shape, string? az, bool spot, string pool)
    {
        writer.WriteStartObject("labels");
        writer.WriteString("beta.kubernetes.io/arch", shape.Arch);
        if (shape.InstanceType is not null)
        {
            writer.WriteString("beta.kubernetes.io/instance-type", shape.InstanceType);
        }

        writer.WriteString("beta.kubernetes.io/os", "linux");
        if (site.IsCloud)
        {
            writer.WriteString("eks.amazonaws.com/capacityType", spot ? "SPOT" : "ON_DEMAND");
            writer.WriteString("eks.amazonaws.com/nodegroup", $"{pool}-{az}");
            writer.WriteString("eks.amazonaws.com/nodegroup-image", "ami-0" + Hex(random, 16));
            writer.WriteString("eks.amazonaws.com/sourceLaunchTemplateId", "lt-0" + Hex(random, 16));
            writer.WriteString("eks.amazonaws.com/sourceLaunchTemplateVersion", random.Next(1, 12).ToString(CultureInfo.InvariantCulture));
            writer.WriteString("failure-domain.beta.kubernetes.io/region", site.Region);
            writer.WriteString("failure-domain.beta.kubernetes.io/zone", az);
            writer.WriteString("k8s.io/cloud-provider-aws", Hex(random, 32));
        }
        else if (site.Region is not null)
        {
            writer.WriteString("failure-domain.beta.kubernetes.io/region", site.Region);
        }

        writer.WriteString("kubernetes.io/arch", shape.Arch);
        writer.WriteString("kubernetes.io/hostname", name);
        writer.WriteString("kubernetes.io/os", "linux");
        if (shape.InstanceType is not null)
        {
            writer.WriteString("node.kubernetes.io/instance-type", shape.InstanceType);
        }
        else
        {
            writer.WriteString("carbon-aware.io/cpu-class", "intel-icelake");
        }

        writer.WriteString("node.kubernetes.io/pool", pool);
        writer.WriteString("team.example.com/cost-center", random.Next(3) switch { 0 => "platform", 1 => "commerce", _ => "analytics" });
        if (site.IsCloud)
        {
            writer.WriteString("topology.ebs.csi.aws.com/zone", az);
            writer.WriteString("topology.k8s.aws/network-node-layer-1", "nn-" + Hex(random, 17));
            writer.WriteString("topology.k8s.aws/network-node-layer-2", "nn-" + Hex(random, 17));
            writer.WriteString("topology.k8s.aws/network-node-layer-3", "nn-" + Hex(random, 17));
            writer.WriteString("topology.k8s.aws/zone-id", $"{site.ZoneIdPrefix}-az{random.Next(1, 4)}");
            writer.WriteString("topology.kubernetes.io/region", site.Region);
            writer.WriteString("topology.kubernetes.io/zone", az);
            writer.WriteString("vpc.amazonaws.com/has-trunk-attached", "false");
        }
        else
        {
            if (site.Region is not null)
            {
                writer.WriteString("topology.kubernetes.io/region", site.Region);
            }

            writer.WriteString("topology.kubernetes.io/zone", "rack-" + random.Next(1, 40).ToString("D2", CultureInfo.InvariantCulture));
            writer.WriteString("node-role.kubernetes.io/worker", string.Empty);
        }

        if (shape.HasGpus)
        {
            var driverMajor = random.Next(2) == 0 ? "550" : "535";
            writer.WriteString("nvidia.com/cuda.driver.major", driverMajor);
            writer.WriteString("nvidia.com/cuda.runtime.major", "12");
            writer.WriteString("nvidia.com/gfd.timestamp", (1_748_000_000 + random.Next(1_000_000)).ToString(CultureInfo.InvariantCulture));
            writer.WriteString("nvidia.com/gpu.compute.major", shape.ComputeCapability.Split('.')[0]);
            writer.WriteString("nvidia.com/gpu.count", shape.Gpus.ToString(CultureInfo.InvariantCulture));
            writer.WriteString("nvidia.com/gpu.family", shape.GpuFamily);
            writer.WriteString("nvidia.com/gpu.machine", shape.InstanceType);
            writer.WriteString("nvidia.com/gpu.memory", shape.GpuMemoryMib.ToString(CultureInfo.InvariantCulture));
            writer.WriteString("nvidia.com/gpu.present", "true");
            writer.WriteString("nvidia.com/gpu.product", shape.GpuProduct);
            writer.WriteString("nvidia.com/mig.capable", shape.GpuFamily is "ampere" or "hopper" ? "true" : "false");
        }

        writer.WriteEndObject();
    }

    private static void WriteAnnotations(Utf8JsonWriter writer, string ip, string instanceId, InstanceShape shape)
    {
        writer.WriteStartObject("annotations");
        writer.WriteString("alpha.kubernetes.io/provided-node-ip", ip);
        writer.WriteString("csi.volume.kubernetes.io/nodeid", $"{{\"ebs.csi.aws.com\":\"{instanceId}\",\"efs.csi.aws.com\":\"{instanceId}\"}}");
        writer.WriteString("node.alpha.kubernetes.io/ttl", "0");
        if (shape.HasGpus)
        {
            writer.WriteString("nfd.node.kubernetes.io/feature-labels", "cpu-cpuid.ADX,cpu-cpuid.AESNI,cpu-cpuid.AVX,cpu-cpuid.AVX2,cpu-cpuid.FMA3,cpu-hardware_multithreading,cpu-model.family,cpu-model.id,cpu-model.vendor_id,kernel-version.full,kernel-version.major,kernel-version.minor,pci-10de.present,system-os_release.ID,system-os_release.VERSION_ID");
            writer.WriteString("nfd.node.kubernetes.io/worker.version", "v0.16.3");
        }

        writer.WriteString("volumes.kubernetes.io/controller-managed-attach-detach", "true");
        writer.WriteEndObject();
    }

    private static void WriteTaint(Utf8JsonWriter writer, string key, string value, string effect)
    {
        writer.WriteStartObject();
        writer.WriteString("key", key);
        writer.WriteString("value", value);
        writer.WriteString("effect", effect);
        writer.WriteEndObject();
    }

    private static void WriteResources(Utf8JsonWriter writer, string property, InstanceShape shape, bool allocatable)
    {
        // Kubelet reserves CPU and memory for itself; the extender must read allocatable, not capacity.
        var memoryKib = (shape.MemoryGib * 1024L * 1024L) - (allocatable ? 1_500_000L + (shape.Vcpus * 11_000L) : 380_000L);
        var pods = Math.Min(737, (shape.Vcpus * 15) + 2);
        writer.WriteStartObject(property);
        writer.WriteString("cpu", allocatable ? $"{(shape.Vcpus * 1000) - 70 - (shape.Vcpus * 10)}m" : shape.Vcpus.ToString(CultureInfo.InvariantCulture));
        writer.WriteString("ephemeral-storage", allocatable ? "95551679124" : "104845292Ki");
        writer.WriteString("hugepages-1Gi", "0");
        writer.WriteString("hugepages-2Mi", "0");
        writer.WriteString("memory", memoryKib.ToString(CultureInfo.InvariantCulture) + "Ki");
        if (shape.HasGpus)
        {
            writer.WriteString("nvidia.com/gpu", shape.Gpus.ToString(CultureInfo.InvariantCulture));
        }

        writer.WriteString("pods", pods.ToString(CultureInfo.InvariantCulture));
        writer.WriteEndObject();
    }

    private static void WriteConditions(Utf8JsonWriter writer, Random random)
    {
        var heartbeat = Time(Epoch.AddSeconds(-random.Next(5, 40)));
        var transition = Time(Epoch.AddMinutes(-random.Next(60, 60 * 24 * 30)));
        writer.WriteStartArray("conditions");
        foreach (var type in Conditions)
        {
            var ready = type == "Ready";
            writer.WriteStartObject();
            writer.WriteString("type", type);
            writer.WriteString("status", ready ? "True" : "False");
            writer.WriteString("lastHeartbeatTime", heartbeat);
            writer.WriteString("lastTransitionTime", transition);
            var (reason, message) = type switch
            {
                "MemoryPressure" => ("KubeletHasSufficientMemory", "kubelet has sufficient memory available"),
                "DiskPressure" => ("KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
                "PIDPressure" => ("KubeletHasSufficientPID", "kubelet has sufficient PID available"),
                "KernelDeadlock" => ("KernelHasNoDeadlock", "kernel has no deadlock"),
                _ => ("KubeletReady", "kubelet is posting ready status"),
            };
            writer.WriteString("reason", reason);
            writer.WriteString("message", message);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    private static void WriteAddresses(Utf8JsonWriter writer, Random random, string name, string ip, NodeSite site)
    {
        writer.WriteStartArray("addresses");
        WriteAddress(writer, "InternalIP", ip);
        if (site.IsCloud && random.Next(3) == 0)
        {
            var external = $"3.{random.Next(64, 128)}.{random.Next(256)}.{random.Next(1, 255)}";
            WriteAddress(writer, "ExternalIP", external);
            WriteAddress(writer, "InternalDNS", name);
            WriteAddress(writer, "Hostname", name);
            WriteAddress(writer, "ExternalDNS", $"ec2-{external.Replace('.', '-')}.{site.Region}.compute.amazonaws.com");
        }
        else
        {
            WriteAddress(writer, "InternalDNS", name);
            WriteAddress(writer, "Hostname", name);
        }

        writer.WriteEndArray();
    }

    private static void WriteAddress(Utf8JsonWriter writer, string type, string address)
    {
        writer.WriteStartObject();
        writer.WriteString("type", type);
        writer.WriteString("address", address);
        writer.WriteEndObject();
    }

    private static void WriteNodeInfo(Utf8JsonWriter writer, Random random, InstanceShape shape, NodeSite site)
    {
        var arm = shape.Arch == "arm64";
        writer.WriteStartObject("nodeInfo");
        writer.WriteString("machineID", Hex(random, 32));
        writer.WriteString("systemUUID", site.IsCloud ? "ec2" + Uuid(random)[3..] : Uuid(random).ToUpperInvariant());
        writer.WriteString("bootID", Uuid(random));
        writer.WriteString("kernelVersion", arm ? "6.1.112-124.190.amzn2023.aarch64" : "6.1.112-124.190.amzn2023.x86_64");
        writer.WriteString("osImage", "Amazon Linux 2023.6.20241031");
        writer.WriteString("containerRuntimeVersion", "containerd://1.7.23");
        writer.WriteString("kubeletVersion", "v1.31.2-eks-94953ac");
        writer.WriteString("kubeProxyVersion", "v1.31.2-eks-94953ac");
        writer.WriteString("operatingSystem", "linux");
        writer.WriteString("architecture", shape.Arch);
        writer.WriteEndObject();
    }

    private static void WriteImages(Utf8JsonWriter writer, Random random, NodeSite site, InstanceShape shape)
    {
        var region = site.Region ?? "eu-central-1";
        var images = new List<(string Repository, string Tag, long Bytes)>();
        foreach (var (repository, tag, megabytes) in SystemImages)
        {
            images.Add((string.Format(CultureInfo.InvariantCulture, repository, region), tag, Bytes(random, megabytes)));
        }

        if (shape.HasGpus)
        {
            foreach (var (repository, tag, megabytes) in GpuImages)
            {
                images.Add((repository, tag, Bytes(random, megabytes)));
            }
        }

        // One to three workload images differ from node to node, as they do on a shared cluster.
        var workloads = random.Next(1, 4);
        for (var i = 0; i < workloads; i++)
        {
            var (repository, tag, megabytes) = AppImages[random.Next(AppImages.Length)];
            images.Add((string.Format(CultureInfo.InvariantCulture, repository, region), tag, Bytes(random, megabytes)));
        }

        // Kubelet reports the images largest first.
        images.Sort((a, b) => b.Bytes.CompareTo(a.Bytes));
        writer.WriteStartArray("images");
        foreach (var (repository, tag, bytes) in images)
        {
            writer.WriteStartObject();
            writer.WriteStartArray("names");
            writer.WriteStringValue($"{repository}@sha256:{Hex(random, 64)}");
            writer.WriteStringValue($"{repository}:{tag}");
            writer.WriteEndArray();
            writer.WriteNumber("sizeBytes", bytes);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    private static long Bytes(Random random, int megabytes) => (megabytes * 1_000_000L) + random.Next(1_000_000);

    private static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string Uuid(Random random)
    {
        Span<byte> bytes = stackalloc byte[16];
        random.NextBytes(bytes);
        return new Guid(bytes).ToString("D");
    }

    private static string Hex(Random random, int length)
    {
        Span<byte> bytes = stackalloc byte[(length + 1) / 2];
        random.NextBytes(bytes);
        return Convert.ToHexStringLower(bytes)[..length];
    }
}
