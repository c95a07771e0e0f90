using BenchmarkDotNet.Attributes;
using Scheduler.Core.Scoring;
using Scheduler.LoadTest.Payloads;

namespace Scheduler.Benchmarks;

/// <summary>Goal (a): <see cref="NodeScorer.Score"/> over 5,000 described nodes in under 1 ms.</summary>
[MemoryDiagnoser]
[QuickJob]
public class ScoringBenchmarks
{
    private const int NodeCount = 5000;

    private ExtenderFixture _fixture = null!;
    private PodDemand _webService = null!;
    private PodDemand _gpuTraining = null!;

    [GlobalSetup]
    public void Setup()
    {
        var cluster = SyntheticCluster.Create(NodeCount);
        _fixture = new ExtenderFixture(cluster);
        _webService = _fixture.DemandOf(cluster, PodShape.WebService);
        _gpuTraining = _fixture.DemandOf(cluster, PodShape.GpuTraining);
    }

    /// <summary>0.5 CPU, no annotations: the default 1 h run.</summary>
    [Benchmark]
    public NodeScore[] ScoreCpuPod() => _fixture.Scorer.Score(_webService, _fixture.Nodes, _fixture.Intensities, ExtenderFixture.Now);

    /// <summary>8 CPU and 1 GPU for 6 h: a longer forecast window, GPU power on the GPU nodes.</summary>
    [Benchmark]
    public NodeScore[] ScoreGpuPod() => _fixture.Scorer.Score(_gpuTraining, _fixture.Nodes, _fixture.Intensities, ExtenderFixture.Now);
}
