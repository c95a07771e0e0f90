using System.Diagnostics;
using System.Globalization;
using System.Text;
using k8s.Models;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using Scheduler.Core.Annotations;
using Scheduler.Kubernetes.Deferral;
using Scheduler.Kubernetes.Nodes;
using Scheduler.Kubernetes.Tests.Fakes;
using ClusterNodes = Scheduler.Kubernetes.Tests.Support.TestNodes;

namespace Scheduler.Extender.Tests.Fixtures;

/// <summary>
/// The real extender with the deferral controller (<c>Kubernetes:Enabled</c>, <c>Deferral:Enabled</c>, the
/// in-memory Quartz store) against the fake Kubernetes API: grid zone DE with two nodes and FR with one,
/// and an hourly forecast file per zone. The extender's clock is the fake one of <see cref="ExtenderServer"/>,
/// shared with the API server's timestamps; tests move it to fire the controller's wake-ups.
/// </summary>
internal sealed class DeferralCluster : IAsyncDisposable
{
    /// <summary>The namespace of the Jobs.</summary>
    public const string Namespace = "ml";

    /// <summary>The namespace of the controller's Lease.</summary>
    public const string LeaseNamespace = "carbon-system";

    /// <summary>The minutes kept free before a deadline.</summary>
    public const int SafetyMarginMinutes = 30;

    private static readonly TimeSpan MetricsTimeout = TimeSpan.FromSeconds(20);

    private readonly string _directory;

    private DeferralCluster(FakeKubernetesApiServer api, ExtenderServer server, string directory)
    {
        Api = api;
        Server = server;
        _directory = directory;
        Time = (FakeTimeProvider)server.Services.GetRequiredService<TimeProvider>();
        Api.TimeProvider = Time;
    }

    public FakeKubernetesApiServer Api { get; }

    public ExtenderServer Server { get; }

    /// <summary>The extender's clock, starting at <see cref="ExtenderServer.Now"/>.</summary>
    public FakeTimeProvider Time { get; }

    /// <summary>The hosted controller of this replica.</summary>
    public DeferralHost Host => Server.Services.GetServices<IHostedService>().OfType<DeferralHost>().Single();

    /// <summary>
    /// Starts the API and the extender. DE's forecast is 400 gCO2eq/kWh but 50 from six to eight hours after
    /// <see cref="ExtenderServer.Now"/>; FR's is 500 throughout.
    /// </summary>
    public static async Task<DeferralCluster> StartAsync()
    {
        var directory = Directory.CreateTempSubdirectory("deferral-metrics-").FullName;
        var api = await FakeKubernetesApiServer.StartAsync();
        try
        {
            api.AddNodes(
            [
                ClusterNodes.Node("de-1", new Dictionary<string, string> { [NodeLabels.GridZone] = "DE" }),
                ClusterNodes.Node("de-2", new Dictionary<string, string> { [NodeLabels.GridZone] = "DE" }),
                ClusterNodes.Node("fr-1", new Dictionary<string, string> { [NodeLabels.GridZone] = "FR" }),
            ]);
            var kubeConfig = Path.Combine(directory, "kubeconfig");
            await File.WriteAllTextAsync(kubeConfig, FakeKubeConfig.For(api.Host, Namespace));
            var de = await WriteForecastAsync(directory, "DE", hour => hour is 6 or 7 ? 50 : 400);
            var fr = await WriteForecastAsync(directory, "FR", _ => 500);
            var server = await ExtenderServer.StartAsync(
                null,
                "--Kubernetes:Enabled", "true",
                "--Kubernetes:KubeConfigFile", kubeConfig,
                "--Deferral:Enabled", "true",
                "--Deferral:LeaseNamespace", LeaseNamespace,
                "--Deferral:LeaseDurationSeconds", "5",
                "--Deferral:SafetyMarginMinutes", SafetyMarginMinutes.ToString(CultureInfo.InvariantCulture),
                "--Carbon:Zones:DE:Type", "File",
                "--Carbon:Zones:DE:Path", de,
                "--Carbon:Zones:FR:Type", "File",
                "--Carbon:Zones:FR:Path", fr);
            return new DeferralCluster(api, server, directory);
        }
        catch
        {
            await api.DisposeAsync();
            Directory.Delete(directory, recursive: true);
            throw;
        }
    }

    /// <summary>Creates a Job as the admission webhook lets it in: suspended and marked held, created now.</summary>
    public JobKey AddHeldJob(string name, TimeSpan deadlineIn, string duration)
    {
        var annotations = new Dictionary<string, string>
        {
            [CarbonAnnotations.Deadline] = Format(Time.GetUtcNow() + deadlineIn),
            [CarbonAnnotations.Duration] = duration,
            [CarbonAnnotations.State] = "held",
        };
        Api.AddJob(TestJobs.Job(Namespace, name, suspend: true, annotations));
        return new JobKey(Namespace, name);
    }

    public V1Job Job(JobKey key) => Api.GetJob(key.Namespace, key.Name) ?? throw new InvalidOperationException($"no Job {key}");

    /// <summary>One annotation of the Job as the API serves it now, or the empty string.</summary>
    public string Annotation(JobKey key, string name) =>
        Job(key).Metadata.Annotations is { } annotations && annotations.TryGetValue(name, out var value) ? value : string.Empty;

    /// <summary>One scrape of <c>GET /metrics</c>.</summary>
    public async Task<MetricsScrape> ScrapeAsync() =>
        MetricsScrape.Parse(await Server.Client.GetStringAsync(new Uri("/metrics", UriKind.Relative)));

    /// <summary>Scrapes until <paramref name="condition"/> holds and returns that scrape; fails naming <paramref name="what"/> otherwise.</summary>
    public async Task<MetricsScrape> ScrapeUntilAsync(Func<MetricsScrape, bool> condition, string what)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            var scrape = await ScrapeAsync();
            if (condition(scrape))
            {
                return scrape;
            }

            if (waited.Elapsed > MetricsTimeout)
            {
                Assert.Fail($"Not true within {MetricsTimeout.TotalSeconds:0} s: {what}{Environment.NewLine}{scrape.Lines("carbon_deferral_")}{Environment.NewLine}{Diagnostics()}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50));
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        await Api.DisposeAsync();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // The directory is in the temporary folder.
        }
    }

    private string Diagnostics()
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"now {Time.GetUtcNow():O}; leader {Host.IsLeader}");
        foreach (var job in Api.ListJobs(Namespace))
        {
            var annotations = job.Metadata.Annotations ?? new Dictionary<string, string>();
            text.AppendLine(CultureInfo.InvariantCulture, $"Job {job.Metadata.Name}: suspend {job.Spec.Suspend}, {string.Join(", ", annotations.Select(a => $"{a.Key}={a.Value}"))}");
        }

        return text.ToString();
    }

    // Hourly from an hour before the extender's start to two days after it.
    private static async Task<string> WriteForecastAsync(string directory, string zone, Func<int, double> byHour)
    {
        var text = new StringBuilder("timestamp,gCO2eq/kWh\n");
        for (var hour = -1; hour < 48; hour++)
        {
            text.Append(CultureInfo.InvariantCulture, $"{Format(ExtenderServer.Now.AddHours(hour))},{byHour(hour)}\n");
        }

        var path = Path.Combine(directory, $"{zone}.csv");
        await File.WriteAllTextAsync(path, text.ToString());
        return path;
    }

    private static string Format(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
