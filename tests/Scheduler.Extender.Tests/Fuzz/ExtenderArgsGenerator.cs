using System.Globalization;
using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using Scheduler.Extender.Tests.Fixtures;

namespace Scheduler.Extender.Tests.Fuzz;

/// <summary>
/// Valid <c>ExtenderArgs</c> as kube-scheduler may send them: full <c>Nodes</c> or <c>NodeNames</c>,
/// camelCase Kubernetes objects under PascalCase (or otherwise cased) keys, pods with any mix of
/// containers, init containers, overhead, limits and carbon annotations (valid or not: a bad
/// annotation is ignored and reported, never a reason to refuse the request).
/// </summary>
internal static class ExtenderArgsGenerator
{
    /// <summary>A generated request, with its candidate hosts in request order.</summary>
    public sealed record Request(string Json, IReadOnlyList<string> Candidates, bool FullNodes)
    {
        /// <inheritdoc />
        public override string ToString() => Json;
    }

    private static readonly string[] ClusterNames = ["de-1", "fr-1", "gb-1", "cal-gpu-1", "nozone-1"];
    private static readonly string[] Zones = ["DE", "FR", "GB", "US-CAL-CISO", "XX", "de", ""];
    private static readonly string[] Regions = ["eu-west-3", "europe-west2", "us-west-1", "westeurope", "mars-north-1"];
    private static readonly string[] CpuQuantities = ["100m", "250m", "1", "2", "1.5", "4", "16", "64", "192", "0", "1k", "2000m", "0.001"];
    private static readonly string[] MemoryQuantities = ["128Mi", "4Gi", "1G", "512M", "1Ti", "0"];
    private static readonly string[] AnnotationValues = ["200", "0", "-5", "1e9", "abc", "", " 150 ", "NaN", "Infinity", "2h", "2026-01-15T09:00:00Z", "true", "DE,FR", "日本"];
    private static readonly string[] AnnotationKeys =
    [
        "carbon-aware.io/max-intensity", "carbon-aware.io/duration", "carbon-aware.io/deadline", "carbon-aware.io/max-delay",
        "carbon-aware.io/zones", "carbon-aware.io/interruptible", "carbon-aware.io/power-watts", "example.com/other",
    ];

    /// <summary>The generator.</summary>
    public static Arbitrary<Request> Requests() => Generate().ToArbitrary();

    private static Gen<Request> Generate() =>
        from fullNodes in Gen.Elements(true, false)
        from names in NodeNames()
        from nodes in Gen.CollectToSequence(names, NodeFor)
        from pod in Pod()
        from casing in Gen.Elements("Pascal", "camel", "lower", "UPPER")
        from explicitNulls in Gen.Elements(true, false)
        from extra in Gen.Elements(true, false)
        select Build(fullNodes, names, nodes.ToList(), pod, casing, explicitNulls, extra);

    private static Gen<List<string>> NodeNames() =>
        from count in Gen.Choose(0, 12)
        from picks in Gen.ListOf(Gen.OneOf(Gen.Elements(ClusterNames), Gen.Choose(0, 9999).Select(i => $"node-{i}.example.internal")), count)
        select picks.Distinct(StringComparer.Ordinal).ToList();

    private static Gen<JsonObject> NodeFor(string name) =>
        from zone in Gen.Elements(Zones.Append(null).ToArray())
        from region in Gen.Elements(Regions.Append(null).ToArray())
        from cpu in Gen.Elements(CpuQuantities)
        from gpus in Gen.Elements(0, 0, 1, 8)
        select TestNodes.Node(name, gridZone: zone, region: region, cpu: cpu, gpus: gpus, gpuProduct: gpus > 0 ? "NVIDIA-H100-80GB-HBM3" : null);

    private static Gen<JsonObject> Pod() =>
        from containers in Gen.ListOf(Container(), 1).SelectMany(first => Gen.Choose(0, 3).SelectMany(more => Gen.ListOf(Container(), more)).Select(rest => first.Concat(rest).ToList()))
        from initContainers in Gen.Choose(0, 2).SelectMany(n => Gen.ListOf(Container(), n))
        from overheadCpu in Gen.Elements(CpuQuantities.Append(null).ToArray())
        from annotationCount in Gen.Choose(0, 4)
        from annotations in Gen.ListOf(Gen.Elements(AnnotationKeys).Zip(Gen.Elements(AnnotationValues)), annotationCount)
        select PodJson(containers, initContainers, overheadCpu, annotations);

    private static Gen<JsonObject> Container() =>
        from cpu in Gen.Elements(CpuQuantities.Append(null).ToArray())
        from memory in Gen.Elements(MemoryQuantities)
        from limitCpu in Gen.Elements(CpuQuantities.Append(null).ToArray())
        from gpus in Gen.Elements(0, 0, 0, 1, 2)
        select ContainerJson(cpu, memory, limitCpu, gpus);

    private static JsonObject ContainerJson(string? cpu, string memory, string? limitCpu, int gpus)
    {
        var requests = new JsonObject { ["memory"] = memory };
        if (cpu is not null)
        {
            requests["cpu"] = cpu;
        }

        var limits = new JsonObject();
        if (limitCpu is not null)
        {
            limits["cpu"] = limitCpu;
        }

        if (gpus > 0)
        {
            limits["nvidia.com/gpu"] = gpus.ToString(CultureInfo.InvariantCulture);
        }

        return new JsonObject { ["name"] = "c", ["image"] = "busybox", ["resources"] = new JsonObject { ["requests"] = requests, ["limits"] = limits } };
    }

    private static JsonObject PodJson(List<JsonObject> containers, List<JsonObject> initContainers, string? overheadCpu, IEnumerable<(string Key, string Value)> annotations)
    {
        var pod = TestNodes.Pod();
        var annotationMap = new JsonObject();
        foreach (var (key, value) in annotations)
        {
            annotationMap[key] = value;
        }

        pod["metadata"]!["annotations"] = annotationMap;
        var spec = pod["spec"]!.AsObject();
        spec["containers"] = new JsonArray([.. containers]);
        if (initContainers.Count > 0)
        {
            spec["initContainers"] = new JsonArray([.. initContainers]);
        }

        if (overheadCpu is not null)
        {
            spec["overhead"] = new JsonObject { ["cpu"] = overheadCpu };
        }

        return pod;
    }

    private static Request Build(bool fullNodes, List<string> names, List<JsonObject> nodes, JsonObject pod, string casing, bool explicitNulls, bool extra)
    {
        var args = new JsonObject { [Key("Pod", casing)] = pod };
        if (fullNodes)
        {
            args[Key("Nodes", casing)] = TestNodes.NodeList(nodes);
            if (explicitNulls)
            {
                args[Key("NodeNames", casing)] = null;
            }
        }
        else
        {
            args[Key("NodeNames", casing)] = new JsonArray([.. names.Select(n => (JsonNode)n)]);
            if (explicitNulls)
            {
                args[Key("Nodes", casing)] = null;
            }
        }

        if (extra)
        {
            // Fields of newer scheduler versions must be skipped, whatever they hold.
            args["FutureField"] = new JsonObject { ["nested"] = new JsonArray(1, "two", null, new JsonObject()) };
        }

        return new Request(args.ToJsonString(), names, fullNodes);
    }

    private static string Key(string pascal, string casing) => casing switch
    {
        "camel" => char.ToLowerInvariant(pascal[0]) + pascal[1..],
        "lower" => pascal.ToLowerInvariant(),
        "UPPER" => pascal.ToUpperInvariant(),
        _ => pascal,
    };
}
