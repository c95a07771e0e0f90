using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Scheduler.Extender.Wire;
using Scheduler.LoadTest.Payloads;

namespace Scheduler.Benchmarks;

/// <summary>
/// The in-process share of goal (b): a nodeCacheCapable request with 1,000 node names, read,
/// answered by the real <c>ExtenderService</c> from the node cache (recording every score in the
/// Prometheus histogram, as the server does), and written, without HTTP.
/// </summary>
[MemoryDiagnoser]
[QuickJob]
public class PrioritizePathBenchmarks
{
    private const int NodeCount = 1000;

    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private ExtenderFixture _fixture = null!;
    private byte[] _prioritize = null!;
    private byte[] _cappedFilter = null!;
    private ArrayBufferWriter<byte> _output = null!;
    private Utf8JsonWriter _writer = null!;

    [GlobalSetup]
    public void Setup()
    {
        var cluster = SyntheticCluster.Create(NodeCount);
        _fixture = new ExtenderFixture(cluster);
        _prioritize = cluster.ArgsWithNames(PodShape.WebService, NodeCount);
        _cappedFilter = cluster.ArgsWithNames(PodShape.CappedBatch, NodeCount);
        _output = new ArrayBufferWriter<byte>(256 * 1024);
        _writer = new Utf8JsonWriter(_output, WriterOptions);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _writer.Dispose();
    }

    [Benchmark]
    public int Prioritize1000Names()
    {
        var args = ExtenderArgsReader.Read(_prioritize);
        var scores = _fixture.Service.Prioritize(args);
        _output.ResetWrittenCount();
        _writer.Reset(_output);
        ExtenderResponseWriter.WriteHostPriorities(_writer, scores);
        _writer.Flush();
        return _output.WrittenCount;
    }

    /// <summary>Filter of the same 1,000 names for a pod with max-intensity, as the load test's capped pod sends it.</summary>
    [Benchmark]
    public int FilterCapped1000Names()
    {
        var args = ExtenderArgsReader.Read(_cappedFilter);
        var result = _fixture.Service.Filter(args);
        _output.ResetWrittenCount();
        _writer.Reset(_output);
        ExtenderResponseWriter.WriteFilterResult(_writer, _cappedFilter, args, result.Passed, result.Failed);
        _writer.Flush();
        return _output.WrittenCount;
    }
}
