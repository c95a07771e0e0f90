using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Scheduler.Core.Accounting;
using Scheduler.Core.Annotations;
using Scheduler.Core.Intensity;
using Scheduler.Core.Scoring;
using Scheduler.Kubernetes.Deferral;
using Scheduler.Kubernetes.Nodes;
using Scheduler.Kubernetes.Tests.Fakes;
using Scheduler.Kubernetes.Tests.Support;
using Scheduler.Signals.Intensity;

namespace Scheduler.Kubernetes.Tests.Deferral;

/// <summary>
/// A deferral controller against the fake Kubernetes API: two grid zones (DE with two nodes, FR
/// with one, by the grid-zone label), hourly forecasts set per test, and a fake clock shared with
/// the API server. With a ledger (and a meter) its controllers record the facts of what they do into it.
/// </summary>
internal sealed class ControllerFixture : IAsyncDisposable
{
    public static readonly DateTimeOffset T0 = new(2026, 11, 24, 0, 0, 0, TimeSpan.Zero);

    private readonly List<DeferralController> _controllers = [];

    private ControllerFixture(FakeKubernetesApiServer server, DeferralOptions options, IJobLedger? ledger, IJobEnergyMeter? meter)
    {
        Ledger = ledger;
        Meter = meter;
        Server = server;
        Time = new FakeTimeProvider(T0);
        Server.TimeProvider = Time;
        Nodes = new NodeCache(TestNodes.CreateDescriber());
        Nodes.ReplaceAll(
        [
            TestNodes.Node("de-1", new Dictionary<string, string> { [NodeLabels.GridZone] = "DE" }).ToFacts(),
            TestNodes.Node("de-2", new Dictionary<string, string> { [NodeLabels.GridZone] = "DE" }).ToFacts(),
            TestNodes.Node("fr-1", new Dictionary<string, string> { [NodeLabels.GridZone] = "FR" }).ToFacts(),
        ]);
        Intensity = new IntensityCache();
        Pending = new PendingJobs();
        WakeUps = new InProcessWakeUps(Pending, Time);
        Options = options;
        Controller = NewController();
    }

    public FakeKubernetesApiServer Server { get; }

    public FakeTimeProvider Time { get; }

    public NodeCache Nodes { get; }

    public IntensityCache Intensity { get; }

    public PendingJobs Pending { get; }

    public InProcessWakeUps WakeUps { get; }

    public DeferralOptions Options { get; }

    public DeferralController Controller { get; }

    public IJobLedger? Ledger { get; }

    public IJobEnergyMeter? Meter { get; }

    public static async Task<ControllerFixture> StartAsync(DeferralOptions? options = null, IJobLedger? ledger = null, IJobEnergyMeter? meter = null) =>
        new(await FakeKubernetesApiServer.StartAsync(), options ?? new DeferralOptions { Enabled = true, SafetyMarginMinutes = 30 }, ledger, meter);

    /// <summary>
    /// Another replica's controller on the same API (and ledger), reading from the watchers' caches when given;
    /// disposed with the fixture.
    /// </summary>
    public DeferralController NewController(JobWatcher? watched = null, PodWatcher? watchedPods = null)
    {
        var controller = CreateController(watched, watchedPods);
        _controllers.Add(controller);
        return controller;
    }

    /// <summary>A Job watcher on the same API and queue.</summary>
    public JobWatcher NewJobWatcher() => new(
        Server.CreateClient(),
        Pending,
        Microsoft.Extensions.Options.Options.Create(new KubernetesOptions()),
        Time,
        NullLogger<JobWatcher>.Instance);

    private DeferralController CreateController(JobWatcher? watched, PodWatcher? watchedPods) => new(
        Server.CreateClient(),
        Nodes,
        Intensity,
        new JobEvents(Server.CreateClient(), Time, NullLogger<JobEvents>.Instance),
        [WakeUps],
        watched,
        Microsoft.Extensions.Options.Options.Create(Options),
        Microsoft.Extensions.Options.Options.Create(new ScoringOptions()),
        Time,
        NullLogger<DeferralController>.Instance,
        watchedPods,
        Ledger,
        Meter);

    /// <summary>A Pod watcher on the same API and queue.</summary>
    public PodWatcher NewPodWatcher() => new(
        Server.CreateClient(),
        Pending,
        Microsoft.Extensions.Options.Options.Create(Options),
        Microsoft.Extensions.Options.Options.Create(new KubernetesOptions()),
        Time,
        NullLogger<PodWatcher>.Instance);

    /// <summary>Sets a zone's hourly forecast from <see cref="T0"/> for two days.</summary>
    public void Forecast(string zone, Func<int, double> byHour) =>
        Intensity.Set(new IntensityForecast(zone, new IntensitySeries(T0, TimeSpan.FromHours(1), Enumerable.Range(0, 48).Select(byHour).ToArray()), Time.GetUtcNow(), "test"));

    /// <summary>A Job as the webhook lets it in: suspended and marked held, with a deadline and duration.</summary>
    public JobKey AddHeldJob(string name, int deadlineHour, string duration = "2h", IDictionary<string, string>? extra = null, IDictionary<string, string>? labels = null, bool suspend = true)
    {
        var annotations = new Dictionary<string, string>
        {
            [CarbonAnnotations.Deadline] = T0.AddHours(deadlineHour).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture),
            [CarbonAnnotations.Duration] = duration,
            [CarbonAnnotations.State] = "held",
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string>())
        {
            annotations[key] = value;
        }

        var job = TestJobs.Job("ml", name, suspend, annotations, labels);
        job.Metadata.CreationTimestamp = T0.UtcDateTime;
        Server.AddJob(job);
        return new JobKey("ml", name);
    }

    /// <summary>
    /// A bare Pod as the webhook lets it in: gated by <paramref name="gates"/> (ours by default) and marked held,
    /// with a deadline and duration; <paramref name="change"/> shapes it further before it is added.
    /// </summary>
    public JobKey AddHeldPod(string name, int deadlineHour, string duration = "2h", IDictionary<string, string>? extra = null, string[]? gates = null, Action<V1Pod>? change = null)
    {
        var annotations = new Dictionary<string, string>
        {
            [CarbonAnnotations.Deadline] = T0.AddHours(deadlineHour).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture),
            [CarbonAnnotations.Duration] = duration,
            [CarbonAnnotations.State] = "held",
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string>())
        {
            annotations[key] = value;
        }

        var pod = TestPods.Pod("ml", name, annotations, gates ?? [TestPods.OurGate]);
        pod.Metadata.CreationTimestamp = T0.UtcDateTime;
        change?.Invoke(pod);
        Server.AddPod(pod);
        return new JobKey("ml", name, WorkloadKind.Pod);
    }

    public V1Job Job(JobKey key) => Server.GetJob(key.Namespace, key.Name) ?? throw new InvalidOperationException($"no Job {key}");

    public V1Pod Pod(JobKey key) => Server.GetPod(key.Namespace, key.Name) ?? throw new InvalidOperationException($"no Pod {key}");

    public string Annotation(JobKey key, string name)
    {
        var annotations = key.Kind == WorkloadKind.Pod ? Pod(key).Metadata.Annotations : Job(key).Metadata.Annotations;
        return annotations is not null && annotations.TryGetValue(name, out var value) ? value : string.Empty;
    }

    public IReadOnlyList<Corev1Event> Events(string reason) => [.. Server.ListEvents("ml").Where(e => e.Reason == reason)];

    public async ValueTask DisposeAsync()
    {
        foreach (var controller in _controllers)
        {
            await controller.DisposeAsync();
        }

        WakeUps.Dispose();
        await Server.DisposeAsync();
    }
}
