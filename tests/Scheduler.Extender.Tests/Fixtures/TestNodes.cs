using System.Text.Json.Nodes;

namespace Scheduler.Extender.Tests.Fixtures;

/// <summary>Realistic Node objects in the camelCase JSON that the API server and kube-scheduler send.</summary>
internal static class TestNodes
{
    /// <summary>A node in a zone given by label or by region, with CPU and optional GPUs.</summary>
    public static JsonObject Node(string name, string? gridZone = null, string? region = null, string instanceType = "m5.4xlarge", string cpu = "16", int gpus = 0, string? gpuProduct = null)
    {
        var labels = new JsonObject
        {
            ["kubernetes.io/hostname"] = name,
            ["kubernetes.io/os"] = "linux",
            ["kubernetes.io/arch"] = "amd64",
            ["node.kubernetes.io/instance-type"] = instanceType,
        };
        if (gridZone is not null)
        {
            labels["carbon-aware.io/grid-zone"] = gridZone;
        }

        if (region is not null)
        {
            labels["topology.kubernetes.io/region"] = region;
            labels["topology.kubernetes.io/zone"] = region + "a";
        }

        if (gpuProduct is not null)
        {
            labels["nvidia.com/gpu.product"] = gpuProduct;
            labels["nvidia.com/gpu.count"] = gpus.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        var allocatable = new JsonObject { ["cpu"] = cpu, ["memory"] = "64Gi", ["pods"] = "110", ["ephemeral-storage"] = "95551679124" };
        if (gpus > 0)
        {
            allocatable["nvidia.com/gpu"] = gpus.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return new JsonObject
        {
            ["metadata"] = new JsonObject
            {
                ["name"] = name,
                ["uid"] = Guid.NewGuid().ToString(),
                ["resourceVersion"] = "12345",
                ["creationTimestamp"] = "2026-11-01T08:00:00Z",
                ["labels"] = labels,
                ["annotations"] = new JsonObject { ["node.alpha.kubernetes.io/ttl"] = "0", ["volumes.kubernetes.io/controller-managed-attach-detach"] = "true" },
            },
            ["spec"] = new JsonObject { ["podCIDR"] = "10.244.1.0/24", ["providerID"] = "aws:///eu-central-1a/i-0123456789abcdef0" },
            ["status"] = new JsonObject
            {
                ["capacity"] = allocatable.DeepClone(),
                ["allocatable"] = allocatable,
                ["conditions"] = new JsonArray(new JsonObject { ["type"] = "Ready", ["status"] = "True", ["reason"] = "KubeletReady", ["message"] = "kubelet is posting ready status", ["lastHeartbeatTime"] = "2026-11-23T10:00:00Z", ["lastTransitionTime"] = "2026-11-01T08:01:00Z" }),
                ["addresses"] = new JsonArray(new JsonObject { ["type"] = "InternalIP", ["address"] = "10.0.1.17" }, new JsonObject { ["type"] = "Hostname", ["address"] = name }),
                ["daemonEndpoints"] = new JsonObject { ["kubeletEndpoint"] = new JsonObject { ["Port"] = 10250 } },
                ["nodeInfo"] = new JsonObject { ["kubeletVersion"] = "v1.34.2", ["osImage"] = "Ubuntu 24.04.3 LTS", ["architecture"] = "amd64", ["operatingSystem"] = "linux", ["containerRuntimeVersion"] = "containerd://2.1.4" },
            },
        };
    }

    /// <summary>The cluster the endpoint tests run against.</summary>
    public static JsonObject[] Cluster() =>
    [
        Node("de-1", gridZone: "DE"),
        Node("fr-1", region: "eu-west-3"),
        Node("gb-1", region: "europe-west2", instanceType: "n2-standard-16"),
        Node("cal-gpu-1", region: "us-west-1", instanceType: "p5.48xlarge", cpu: "192", gpus: 8, gpuProduct: "NVIDIA-H100-80GB-HBM3"),
        Node("nozone-1"),
    ];

    public static JsonObject NodeList(IEnumerable<JsonObject> nodes) =>
        new() { ["apiVersion"] = "v1", ["kind"] = "NodeList", ["metadata"] = new JsonObject(), ["items"] = new JsonArray(nodes.Select(n => (JsonNode)n.DeepClone()).ToArray()) };

    /// <summary>A pod in the shape kube-scheduler sends, with the given annotations and requests.</summary>
    public static JsonObject Pod(Dictionary<string, string>? annotations = null, string cpu = "2", int gpus = 0)
    {
        var requests = new JsonObject { ["cpu"] = cpu, ["memory"] = "4Gi" };
        var limits = new JsonObject();
        if (gpus > 0)
        {
            limits["nvidia.com/gpu"] = gpus.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        var metadata = new JsonObject { ["name"] = "train-7f9c", ["namespace"] = "ml", ["uid"] = "4b1c6a2e-0000-0000-0000-000000000001" };
        if (annotations is not null)
        {
            metadata["annotations"] = new JsonObject(annotations.Select(a => KeyValuePair.Create(a.Key, (JsonNode?)a.Value)));
        }

        return new JsonObject
        {
            ["metadata"] = metadata,
            ["spec"] = new JsonObject
            {
                ["containers"] = new JsonArray(new JsonObject { ["name"] = "trainer", ["image"] = "pytorch:2.9", ["resources"] = new JsonObject { ["requests"] = requests, ["limits"] = limits } }),
                ["schedulerName"] = "carbon-aware",
            },
            ["status"] = new JsonObject { ["phase"] = "Pending" },
        };
    }

    /// <summary>ExtenderArgs as kube-scheduler marshals them (PascalCase keys, explicit nulls).</summary>
    public static string Args(JsonObject pod, IEnumerable<JsonObject>? nodes = null, IEnumerable<string>? names = null) =>
        new JsonObject
        {
            ["Pod"] = pod,
            ["Nodes"] = nodes is null ? null : NodeList(nodes),
            ["NodeNames"] = names is null ? null : new JsonArray(names.Select(n => (JsonNode)n).ToArray()),
        }.ToJsonString();
}
