using System.Buffers;
using System.Text.Json;

namespace Scheduler.LoadTest.Payloads;

/// <summary>
/// A deterministic synthetic cluster (same seed, same bytes) and the request bodies kube-scheduler
/// would send the extender for it. Shared, as source, by the load test and the benchmarks, so that
/// both measure the same payloads.
/// </summary>
internal sealed class SyntheticCluster
{
    /// <summary>The seed used when none is given.</summary>
    public const int DefaultSeed = 20250602;

    /// <summary>
    /// The zone mix: the four zones with built-in profiles, a mapped region without a profile (no
    /// intensity: neutral score), an on-premises region the map does not know, and nodes without any
    /// region label (zone unknown).
    /// </summary>
    public static readonly IReadOnlyList<NodeSite> Sites =
    [
        new("eu-central-1", "euc1", "DE", 25),
        new("eu-west-2", "euw2", "GB", 20),
        new("eu-west-3", "euw3", "FR", 15),
        new("us-west-1", "usw1", "US-CAL-CISO", 20),
        new("us-east-1", "use1", "US-MIDA-PJM (no profile)", 10),
        new("dc-frankfurt-1", null, "unknown (unmapped region)", 5),
        new(null, null, "unknown (no region label)", 5),
    ];

    private static readonly (InstanceShape Shape, int Weight)[] CloudShapes =
    [
        (new("m6i.4xlarge", 16, 64, "amd64"), 20),
        (new("m6i.8xlarge", 32, 128, "amd64"), 12),
        (new("c6i.8xlarge", 32, 64, "amd64"), 10),
        (new("r6i.4xlarge", 16, 128, "amd64"), 8),
        (new("m7g.4xlarge", 16, 64, "arm64"), 10),
        (new("c7a.16xlarge", 64, 128, "amd64"), 6),
        (new("m5.2xlarge", 8, 32, "amd64"), 10),
        (new("t3.xlarge", 4, 16, "amd64"), 9),
        (new("g4dn.xlarge", 4, 16, "amd64", 1, "Tesla-T4", "turing", 15360, "7.5"), 3),
        (new("g5.xlarge", 4, 16, "amd64", 1, "NVIDIA-A10G", "ampere", 23028, "8.6"), 3),
        (new("g5.12xlarge", 48, 192, "amd64", 4, "NVIDIA-A10G", "ampere", 23028, "8.6"), 2),
        (new("g6.xlarge", 4, 16, "amd64", 1, "NVIDIA-L4", "ada-lovelace", 23034, "8.9"), 3),
        (new("p4d.24xlarge", 96, 1152, "amd64", 8, "NVIDIA-A100-SXM4-40GB", "ampere", 40960, "8.0"), 2),
        (new("p5.48xlarge", 192, 2048, "amd64", 8, "NVIDIA-H100-80GB-HBM3", "hopper", 81559, "9.0"), 2),
    ];

    private static readonly InstanceShape OnPremises = new(null, 64, 256, "amd64");

    private readonly byte[][] _nodes;

    private SyntheticCluster(int seed, byte[][] nodes, string[] names, NodeSite[] siteOf, bool[] gpu)
    {
        Seed = seed;
        _nodes = nodes;
        Names = names;
        SiteOf = siteOf;
        IsGpu = gpu;
    }

    /// <summary>The seed the cluster was made from.</summary>
    public int Seed { get; }

    /// <summary>The node names, in order.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>The site of each node.</summary>
    public IReadOnlyList<NodeSite> SiteOf { get; }

    /// <summary>Whether each node has GPUs.</summary>
    public IReadOnlyList<bool> IsGpu { get; }

    /// <summary>The number of nodes.</summary>
    public int Count => _nodes.Length;

    /// <summary>The mean size of one node's JSON, in bytes.</summary>
    public double MeanNodeBytes => _nodes.Average(n => (double)n.Length);

    /// <summary>Makes a cluster of <paramref name="count"/> nodes.</summary>
    public static SyntheticCluster Create(int count, int seed = DefaultSeed)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        var random = new Random(seed);
        var buffer = new ArrayBufferWriter<byte>(8 * 1024);
        var nodes = new byte[count][];
        var names = new string[count];
        var sites = new NodeSite[count];
        var gpu = new bool[count];
        for (var i = 0; i < count; i++)
        {
            var site = Pick(random, Sites, s => s.Weight);
            var shape = site.IsCloud ? Pick(random, CloudShapes, s => s.Weight).Shape : OnPremises;
            buffer.ResetWrittenCount();
            using (var writer = new Utf8JsonWriter(buffer))
            {
                names[i] = NodeJsonWriter.Write(writer, random, i, site, shape);
            }

            nodes[i] = buffer.WrittenSpan.ToArray();
            sites[i] = site;
            gpu[i] = shape.HasGpus;
        }

        return new SyntheticCluster(seed, nodes, names, sites, gpu);
    }

    /// <summary>The cluster as a <c>NodeList</c> (what <c>kubectl get nodes -o json</c> prints), for <c>Nodes:InventoryFile</c>.</summary>
    public byte[] NodeListJson()
    {
        var buffer = new ArrayBufferWriter<byte>(EstimatedBytes(Count));
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("apiVersion", "v1");
            writer.WriteString("kind", "NodeList");
            writer.WriteStartObject("metadata");
            writer.WriteString("resourceVersion", "812734411");
            writer.WriteEndObject();
            WriteItems(writer, Count);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>
    /// An <c>ExtenderArgs</c> carrying the first <paramref name="nodeCount"/> nodes in full
    /// (<c>nodeCacheCapable: false</c>), as kube-scheduler marshals it.
    /// </summary>
    public byte[] ArgsWithNodes(PodShape pod, int nodeCount)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(nodeCount, Count);
        var buffer = new ArrayBufferWriter<byte>(EstimatedBytes(nodeCount) + 4096);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WritePropertyName("Pod");
            PodJsonWriter.Write(writer, pod);
            writer.WriteStartObject("Nodes");
            writer.WriteStartObject("metadata");
            writer.WriteEndObject();
            WriteItems(writer, nodeCount);
            writer.WriteEndObject();
            writer.WriteNull("NodeNames");
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>An <c>ExtenderArgs</c> carrying the names of the first <paramref name="nodeCount"/> nodes (<c>nodeCacheCapable: true</c>).</summary>
    public byte[] ArgsWithNames(PodShape pod, int nodeCount)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(nodeCount, Count);
        var buffer = new ArrayBufferWriter<byte>((nodeCount * 64) + 4096);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WritePropertyName("Pod");
            PodJsonWriter.Write(writer, pod);
            writer.WriteNull("Nodes");
            writer.WriteStartArray("NodeNames");
            for (var i = 0; i < nodeCount; i++)
            {
                writer.WriteStringValue(Names[i]);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>A Markdown summary of the mix: nodes per expected zone, GPU nodes, and bytes per node.</summary>
    public string Describe()
    {
        var lines = new List<string>
        {
            $"{Count} nodes (seed {Seed}), {IsGpu.Count(g => g)} with GPUs; node JSON {_nodes.Min(n => n.Length)}..{_nodes.Max(n => n.Length)} bytes, mean {MeanNodeBytes:0} bytes.",
            string.Empty,
            "| region label | expected grid zone | nodes | GPU nodes |",
            "| --- | --- | ---: | ---: |",
        };
        foreach (var site in Sites)
        {
            var indexes = Enumerable.Range(0, Count).Where(i => SiteOf[i] == site).ToList();
            lines.Add($"| {site.Region ?? "(none)"} | {site.Expected} | {indexes.Count} | {indexes.Count(i => IsGpu[i])} |");
        }

        return string.Join(Environment.NewLine, lines);
    }

    private void WriteItems(Utf8JsonWriter writer, int count)
    {
        writer.WriteStartArray("items");
        for (var i = 0; i < count; i++)
        {
            // The node bytes were produced by Utf8JsonWriter already: no need to validate them again.
            writer.WriteRawValue(_nodes[i], skipInputValidation: true);
        }

        writer.WriteEndArray();
    }

    private int EstimatedBytes(int nodeCount) => (int)Math.Min(int.MaxValue - 1024, (long)nodeCount * ((_nodes.Length > 0 ? _nodes.Max(n => n.Length) : 0) + 1));

    private static T Pick<T>(Random random, IReadOnlyList<T> items, Func<T, int> weight)
    {
        var total = items.Sum(weight);
        var roll = random.Next(total);
        foreach (var item in items)
        {
            roll -= weight(item);
            if (roll < 0)
            {
                return item;
            }
        }

        return items[^1];
    }
}
