using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Scheduler.Extender.Wire;
using Scheduler.LoadTest.Payloads;

namespace Scheduler.Benchmarks;

/// <summary>
/// Goal (c): a <c>/filter</c> request carrying 5,000 full Node objects is answered within 1.5x of
/// the time System.Text.Json needs just to parse it. The baseline is <see cref="JsonDocument.Parse(ReadOnlyMemory{byte}, JsonDocumentOptions)"/>;
/// <see cref="FilterPath"/> is the endpoint's work minus HTTP: read the arguments, describe every
/// node and apply the cap (the real <c>ExtenderService.Filter</c>), and write the answer, which echoes
/// every passing node's bytes, into a reused buffer.
/// </summary>
[MemoryDiagnoser]
[QuickJob]
[QuickJob(serverGc: true)]
public class FilterPayloadBenchmarks
{
    private const int NodeCount = 5000;

    // The same writer options as the endpoint.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private ExtenderFixture _fixture = null!;
    private byte[] _payload = null!;
    private ArrayBufferWriter<byte> _output = null!;
    private Utf8JsonWriter _writer = null!;

    /// <summary>Whether the pod carries <c>carbon-aware.io/max-intensity: 150</c> (nodes in dirtier zones are removed, with a reason each).</summary>
    [Params(false, true)]
    public bool MaxIntensity { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var cluster = SyntheticCluster.Create(NodeCount);
        _fixture = new ExtenderFixture(cluster);
        var pod = MaxIntensity ? PodShape.CappedBatch : PodShape.CappedBatch with { MaxIntensity = null };
        _payload = cluster.ArgsWithNodes(pod, NodeCount);
        _output = new ArrayBufferWriter<byte>(_payload.Length + (1024 * 1024));
        _writer = new Utf8JsonWriter(_output, WriterOptions);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _writer.Dispose();
    }

    [Benchmark(Baseline = true)]
    public JsonValueKind ParseJsonDocument()
    {
        using var document = JsonDocument.Parse(_payload);
        return document.RootElement.ValueKind;
    }

    /// <summary>
    /// Every token stepped over with <see cref="Utf8JsonReader"/> and nothing kept: the floor of any
    /// forward-only reader of this payload, to tell tokenising from what the reader builds.
    /// </summary>
    [Benchmark]
    public int TokenizeOnly()
    {
        var reader = new Utf8JsonReader(_payload);
        var tokens = 0;
        while (reader.Read())
        {
            tokens++;
        }

        return tokens;
    }

    /// <summary>Only <see cref="ExtenderArgsReader.Read(ReadOnlySpan{byte}, NodeFields)"/>, to tell reading from the rest of the path.</summary>
    [Benchmark]
    public int ReadArgs() => ExtenderArgsReader.Read(_payload).Nodes!.Count;

    [Benchmark]
    public int FilterPath()
    {
        var args = ExtenderArgsReader.Read(_payload);
        var result = _fixture.Service.Filter(args);
        _output.ResetWrittenCount();
        _writer.Reset(_output);
        ExtenderResponseWriter.WriteFilterResult(_writer, _payload, args, result.Passed, result.Failed);
        _writer.Flush();
        return _output.WrittenCount;
    }
}
