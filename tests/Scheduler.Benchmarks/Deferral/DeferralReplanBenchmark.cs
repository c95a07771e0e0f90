using System.Globalization;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Scheduler.Benchmarks.KeplerRefresh;
using Scheduler.Cli;
using Scheduler.Core.Annotations;
using Scheduler.Core.Deferral;
using Scheduler.Core.Intensity;
using Scheduler.Core.Scoring;
using Scheduler.Kubernetes;
using Scheduler.Kubernetes.Deferral;
using Scheduler.Kubernetes.Nodes;
using Scheduler.Kubernetes.Tests.Fakes;
using Scheduler.Signals.Hardware;
using Scheduler.Signals.Intensity;
using Scheduler.Signals.Models;
using Scheduler.Signals.Regions;
using Scheduler.Tests.Shared;

namespace Scheduler.Benchmarks.Deferral;

/// <summary>
/// <c>deferral-replan</c>: N held Jobs (default 10,000) in a Kubernetes API (the tests' fake, over
/// loopback HTTP), planned by the controller on the 2025 intensity of four grids; then a forecast
/// refresh with the same values (every Job decided again, none moves) and one with 20 % noise (some
/// move and are patched). Each pass: wall and CPU time, allocations, peak memory, Jobs moved.
/// </summary>
internal static class DeferralReplanBenchmark
{
    public const string Command = "deferral-replan";

    private static readonly DateTimeOffset Now = new(2025, 6, 2, 6, 0, 0, TimeSpan.Zero);

    private static readonly (string Zone, string File)[] Grids =
    [
        ("DE", "ger_2025_ci.csv"), ("GB", "gb_2025_ci.csv"), ("FR", "fr_2025_ci.csv"), ("US-CAL-CISO", "cal_2025_ci.csv"),
    ];

    public static async Task<int> RunAsync(IReadOnlyList<string> args)
    {
        var count = args is ["--jobs", var text, ..] ? int.Parse(text, CultureInfo.InvariantCulture) : 10_000;
        var time = new FixedTimeProvider(Now);
        await using var server = await FakeKubernetesApiServer.StartAsync();
        server.TimeProvider = time;
        var actuals = Grids.ToDictionary(g => g.Zone, g => CarbonCsvFile.Read(RepositoryPaths.SharedData("carbon-2025", g.File)));
        var intensity = new IntensityCache();
        SetForecasts(intensity, actuals, noise: 0, seed: 0, issued: Now);

        var nodes = new NodeCache(new NodeDescriber(new GridZoneResolver(CloudRegionMap.Load(new ModelFiles())), HardwarePowerCatalog.Load(new ModelFiles()), new ScoringOptions()));
        nodes.ReplaceAll(Grids.SelectMany(g => Enumerable.Range(0, 3).Select(i => new NodeFacts(
            $"{g.Zone.ToLowerInvariant()}-{i}",
            new Dictionary<string, string> { [NodeLabels.GridZone] = g.Zone },
            new Dictionary<string, string> { ["cpu"] = "32", ["memory"] = "128Gi" }))));

        var random = new Random(1);
        for (var i = 0; i < count; i++)
        {
            server.AddJob(HeldJob(i, random));
        }

        var client = server.CreateClient();
        var pending = new PendingJobs();
        var watcher = new JobWatcher(client, pending, Options.Create(new KubernetesOptions()), time, NullLogger<JobWatcher>.Instance);
        using var wakeUps = new InProcessWakeUps(pending, time);
        var controller = new DeferralController(
            client,
            nodes,
            intensity,
            new JobEvents(client, time, NullLogger<JobEvents>.Instance),
            [wakeUps],
            watcher,
            Options.Create(new DeferralOptions { Enabled = true }),
            Options.Create(new ScoringOptions()),
            time,
            NullLogger<DeferralController>.Instance);
        await watcher.ListAsync(CancellationToken.None);
        var keys = watcher.Known.ToList();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{keys.Count:N0} held Jobs in the fake API; forecasts of {actuals.Count} zones at 30-minute steps"));
        Console.WriteLine("| pass | Jobs decided | kept | held | moved (patched) | released | wall | CPU | allocated | peak managed heap | peak working set |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");

        await PassAsync("first plan (every Job patched, an Event each)", controller, keys);

        // The watch would deliver the patched Jobs; a fresh list puts them in the cache at once.
        await watcher.ListAsync(CancellationToken.None);
        SetForecasts(intensity, actuals, noise: 0, seed: 0, issued: Now.AddMinutes(30));
        await PassAsync("forecast refresh, same values (decided from the cache)", controller, keys);

        SetForecasts(intensity, actuals, noise: 0.2, seed: 7, issued: Now.AddMinutes(60));
        await PassAsync("forecast refresh, 20 % noise (moved Jobs patched)", controller, keys);
        return 0;
    }

    private static async Task PassAsync(string name, DeferralController controller, IReadOnlyList<JobKey> keys)
    {
        var ((kept, held, moved, released), sample) = await StepMeter.MeasureAsync(
            async () =>
            {
                var (k, h, m, r) = (0, 0, 0, 0);
                foreach (var key in keys)
                {
                    switch (await controller.ReconcileAsync(key, CancellationToken.None).ConfigureAwait(false))
                    {
                        case DeferralAction.Hold { Moved: true }:
                            m++;
                            break;
                        case DeferralAction.Hold:
                            h++;
                            break;
                        case DeferralAction.Release:
                            r++;
                            break;
                        case DeferralAction.Keep:
                            k++;
                            break;
                    }
                }

                return (k, h, m, r);
            },
            meter: null,
            prometheusPid: null);
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"| {name} | {keys.Count:N0} | {kept:N0} | {held:N0} | {moved:N0} | {released:N0} | {sample.Wall.TotalSeconds:0.000} s | {sample.Cpu.TotalSeconds:0.00} s | {Mb(sample.AllocatedBytes)} | {Mb(sample.HeapPeak)} | {Mb(sample.WorkingSetPeak)} |"));
    }

    // The actual intensity from `Now` for three days, as forecasts issued at `issued`, with seeded relative noise.
    private static void SetForecasts(IntensityCache intensity, Dictionary<string, IntensitySeries> actuals, double noise, int seed, DateTimeOffset issued)
    {
        var random = new Random(seed);
        foreach (var (zone, actual) in actuals)
        {
            var first = (int)((Now - actual.Start).Ticks / actual.Step.Ticks);
            var values = actual.Values.Slice(first, 3 * 48).ToArray();
            var mean = values.Average();
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = Math.Max(0, values[i] + (noise * mean * ((random.NextDouble() * 2) - 1) * Math.Sqrt(3)));
            }

            intensity.Set(new IntensityForecast(zone, new IntensitySeries(Now, actual.Step, values), issued, "benchmark"));
        }
    }

    // A Job as the webhook leaves it: 1-8 h, due 2-40 h after it could finish, a third interruptible.
    private static V1Job HeldJob(int index, Random random)
    {
        var duration = TimeSpan.FromMinutes(random.Next(60, 8 * 60));
        var deadline = Now + duration + TimeSpan.FromMinutes(random.Next(120, 40 * 60));
        return new V1Job
        {
            ApiVersion = "batch/v1",
            Kind = "Job",
            Metadata = new V1ObjectMeta
            {
                Name = string.Create(CultureInfo.InvariantCulture, $"train-{index:D5}"),
                NamespaceProperty = string.Create(CultureInfo.InvariantCulture, $"team-{index % 20:D2}"),
                CreationTimestamp = Now.UtcDateTime,
                Annotations = new Dictionary<string, string>
                {
                    [CarbonAnnotations.Deadline] = deadline.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
                    [CarbonAnnotations.Duration] = string.Create(CultureInfo.InvariantCulture, $"{(int)duration.TotalMinutes}m"),
                    [CarbonAnnotations.Interruptible] = index % 3 == 0 ? "true" : "false",
                    [CarbonAnnotations.State] = "held",

                    // One zone per Job, so that timing rather than France's grid decides.
                    [CarbonAnnotations.Zones] = Grids[index % Grids.Length].Zone,
                },
            },
            Spec = new V1JobSpec
            {
                Suspend = true,
                Template = new V1PodTemplateSpec
                {
                    Spec = new V1PodSpec
                    {
                        RestartPolicy = "Never",
                        Containers = [new V1Container { Name = "train", Image = "ghcr.io/example/train:1.4" }],
                    },
                },
            },
        };
    }

    private static string Mb(double bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024 * 1024):0} MiB");
}
