using k8s;
using k8s.Models;
using Scheduler.Core.Scoring;
using Scheduler.Kubernetes.Nodes;
using Scheduler.Signals.Hardware;
using Scheduler.Signals.Models;
using Scheduler.Signals.Regions;

namespace Scheduler.Kubernetes.Tests.Support;

/// <summary>Nodes for tests: the realistic ones of <c>TestData/</c>, small generated ones, and the describer of the shipped models.</summary>
internal static class TestNodes
{
    /// <summary>An AWS p4d.24xlarge in eu-central-1 without GPU feature discovery labels (one of the five nodes of <c>TestData/nodelist.json</c>).</summary>
    public const string AwsA100 = "ip-10-0-12-34.eu-central-1.compute.internal";

    /// <summary>An AWS p5.48xlarge with NVIDIA GPU feature discovery labels (H100), in eu-central-1.</summary>
    public const string AwsH100 = "ip-10-0-77-201.eu-central-1.compute.internal";

    /// <summary>An AKS Standard_D4s_v5 in westeurope.</summary>
    public const string AzureD4 = "aks-nodepool1-31718369-vmss000002";

    /// <summary>A GKE n2-standard-8 in us-central1.</summary>
    public const string GcpN2 = "gke-prod-pool-1-5e1f2a3b-x7kq";

    /// <summary>An on-premises node labelled with grid zone SE-SE3.</summary>
    public const string OnPremises = "rack3-node07";

    private static readonly Lazy<(GridZoneResolver Zones, HardwarePowerCatalog Hardware)> Models = new(() =>
        (new GridZoneResolver(CloudRegionMap.Load(new ModelFiles())), HardwarePowerCatalog.Load(new ModelFiles())));

    /// <summary>The resolver of the shipped <c>models/cloud-regions.json</c>.</summary>
    public static GridZoneResolver Zones => Models.Value.Zones;

    /// <summary>A describer with the shipped models and default scoring options.</summary>
    public static NodeDescriber CreateDescriber() => new(Models.Value.Zones, Models.Value.Hardware, new ScoringOptions());

    /// <summary>The path of a file of <c>TestData/</c> in the output folder.</summary>
    public static string DataFile(string name) => Path.Combine(AppContext.BaseDirectory, "TestData", name);

    /// <summary>The nodes of <c>TestData/nodelist.json</c>, as the API server has them.</summary>
    public static IReadOnlyList<V1Node> Cluster() =>
        [.. KubernetesJson.Deserialize<V1NodeList>(File.ReadAllText(DataFile("nodelist.json"))).Items];

    /// <summary>A node with <paramref name="labels"/> and <paramref name="allocatable"/> resources (name to quantity).</summary>
    public static V1Node Node(string name, IDictionary<string, string>? labels = null, IDictionary<string, string>? allocatable = null)
    {
        var resources = (allocatable ?? new Dictionary<string, string> { ["cpu"] = "4", ["memory"] = "16Gi", ["pods"] = "110" })
            .ToDictionary(r => r.Key, r => new ResourceQuantity(r.Value));
        return new V1Node
        {
            ApiVersion = "v1",
            Kind = "Node",
            Metadata = new V1ObjectMeta
            {
                Name = name,
                Labels = new Dictionary<string, string>(labels ?? new Dictionary<string, string>()) { ["kubernetes.io/hostname"] = name },
                CreationTimestamp = new DateTime(2025, 3, 1, 8, 0, 0, DateTimeKind.Utc),
            },
            Status = new V1NodeStatus
            {
                Allocatable = resources,
                Capacity = new Dictionary<string, ResourceQuantity>(resources),
                Conditions = [new V1NodeCondition { Type = "Ready", Status = "True", Reason = "KubeletReady", Message = "kubelet is posting ready status" }],
                NodeInfo = new V1NodeSystemInfo
                {
                    Architecture = "amd64",
                    BootID = "00000000-0000-0000-0000-000000000000",
                    ContainerRuntimeVersion = "containerd://1.7.25",
                    KernelVersion = "6.1.127-135.201.amzn2023.x86_64",
                    KubeProxyVersion = "v1.31.4-eks-aeac579",
                    KubeletVersion = "v1.31.4-eks-aeac579",
                    MachineID = "ec2000000000000000000000000000000",
                    OperatingSystem = "linux",
                    OsImage = "Amazon Linux 2023.6.20250203",
                    SystemUUID = "ec200000-0000-0000-0000-000000000000",
                },
            },
        };
    }

    /// <summary>An m5.xlarge worker in AWS <paramref name="region"/>, named as EKS names nodes.</summary>
    public static V1Node AwsWorker(int index, string region = "eu-west-3") => Node(
        $"ip-10-1-{index / 250}-{(index % 250) + 1}.{region}.compute.internal",
        new Dictionary<string, string>
        {
            [NodeLabels.Region] = region,
            ["topology.kubernetes.io/zone"] = region + "a",
            [NodeLabels.InstanceType] = "m5.xlarge",
        },
        new Dictionary<string, string> { ["cpu"] = "3920m", ["memory"] = "15076868Ki", ["pods"] = "58" });
}
