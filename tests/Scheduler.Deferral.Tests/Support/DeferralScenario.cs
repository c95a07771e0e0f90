using System.Globalization;
using System.Text;
using k8s.Models;
using Npgsql;
using Scheduler.Core.Annotations;
using Scheduler.Kubernetes.Deferral;
using Scheduler.Kubernetes.Nodes;
using Scheduler.Kubernetes.Tests.Fakes;
using Scheduler.Kubernetes.Tests.Support;
using Scheduler.Tests.Postgres;
using Xunit.Abstractions;

namespace Scheduler.Deferral.Tests.Support;

/// <summary>
/// One fault test's world, all in wall-clock time: the fake Kubernetes API (nodes in grid zones <c>XA</c>, two
/// nodes, and <c>XB</c>, one), a kubeconfig pointing at it, a fresh database on the real PostgreSQL, a forecast
/// CSV per zone at a 10-second step (or a fake provider's API), and the real service in child processes configured by environment
/// variables. The zones have no built-in profile, so when their files fail there is no forecast at all.
/// </summary>
internal sealed class DeferralScenario : IAsyncDisposable
{
    /// <summary>The namespace of the Jobs.</summary>
    public const string Namespace = "ml";

    /// <summary>The Lease the replicas elect their leader on.</summary>
    public const string LeaseNamespace = "carbon-system";

    /// <summary>The zone with two nodes: the Jobs' baseline zone.</summary>
    public const string ZoneA = "XA";

    /// <summary>The zone with one node.</summary>
    public const string ZoneB = "XB";

    /// <summary>The forecasts' step.</summary>
    public static readonly TimeSpan Step = TimeSpan.FromSeconds(10);

    private static readonly TimeSpan ForecastBefore = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan ForecastAfter = TimeSpan.FromMinutes(20);

    private readonly ITestOutputHelper _output;
    private readonly List<ServiceProcess> _services = [];
    private readonly Dictionary<string, string> _forecastFiles = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Dictionary<string, string>> _providerZones = new(StringComparer.Ordinal);
    private readonly string _kubeConfig;

    private DeferralScenario(FakeKubernetesApiServer api, PostgresServer postgres, string connectionString, string directory, ITestOutputHelper output)
    {
        Api = api;
        Postgres = postgres;
        ConnectionString = connectionString;
        Directory = directory;
        _output = output;
        _kubeConfig = Path.Combine(directory, "kubeconfig");
        File.WriteAllText(_kubeConfig, FakeKubeConfig.For(api.Host, Namespace));
        Releases = new ReleaseRecorder(api.CreateClient(), Namespace, api.ResourceVersion);
    }

    /// <summary>The fake Kubernetes API.</summary>
    public FakeKubernetesApiServer Api { get; }

    /// <summary>The PostgreSQL server (shared by the test class).</summary>
    public PostgresServer Postgres { get; }

    /// <summary>This scenario's database.</summary>
    public string ConnectionString { get; }

    /// <summary>The scenario's temporary directory: kubeconfig, forecast files and one log file per service process.</summary>
    public string Directory { get; }

    /// <summary>When each Job was let run, as seen through a watch.</summary>
    public ReleaseRecorder Releases { get; }

    /// <summary>Every service process started, in order.</summary>
    public IReadOnlyList<ServiceProcess> Services => _services;

    public static async Task<DeferralScenario> CreateAsync(PostgresServer postgres, ITestOutputHelper output)
    {
        var directory = System.IO.Directory.CreateTempSubdirectory("deferral-faults-").FullName;
        var api = await FakeKubernetesApiServer.StartAsync();
        try
        {
            api.AddNodes(
            [
                TestNodes.Node("xa-1", new Dictionary<string, string> { [NodeLabels.GridZone] = ZoneA }),
                TestNodes.Node("xa-2", new Dictionary<string, string> { [NodeLabels.GridZone] = ZoneA }),
                TestNodes.Node("xb-1", new Dictionary<string, string> { [NodeLabels.GridZone] = ZoneB }),
            ]);
            var database = await postgres.CreateDatabaseAsync();
            return new DeferralScenario(api, postgres, database, directory, output);
        }
        catch
        {
            await api.DisposeAsync();
            throw;
        }
    }

    /// <summary>The first forecast step boundary at or after <paramref name="time"/>.</summary>
    public static DateTimeOffset StepAtOrAfter(DateTimeOffset time)
    {
        var ticks = time.UtcTicks;
        var rounded = ticks % Step.Ticks == 0 ? ticks : ticks - (ticks % Step.Ticks) + Step.Ticks;
        return new DateTimeOffset(rounded, TimeSpan.Zero);
    }

    /// <summary>
    /// Writes <paramref name="zone"/>'s forecast file: <paramref name="intensity"/> at each 10-second step from a
    /// minute ago to 20 minutes ahead. Written to a new file and renamed over the old one, as a feeding job would.
    /// </summary>
    public void WriteForecast(string zone, Func<DateTimeOffset, double> intensity)
    {
        var text = new StringBuilder("timestamp,gCO2eq/kWh\n");
        var from = StepAtOrAfter(DateTimeOffset.UtcNow - ForecastBefore);
        for (var at = from; at < from + ForecastAfter; at += Step)
        {
            text.Append(CultureInfo.InvariantCulture, $"{at:yyyy-MM-ddTHH:mm:ssZ},{intensity(at)}\n");
        }

        Replace(ForecastFile(zone), text.ToString());
    }

    /// <summary>Leaves only the header in <paramref name="zone"/>'s forecast file: a provider with nothing to give.</summary>
    public void EmptyForecast(string zone) => Replace(ForecastFile(zone), "timestamp,gCO2eq/kWh\n");

    /// <summary>
    /// Serves <paramref name="zone"/> from an Electricity Maps API at <paramref name="url"/> (a fake), with its token
    /// in a file as a mounted Secret would hold it, instead of a forecast file.
    /// </summary>
    public void UseElectricityMaps(string zone, string url, string token)
    {
        var tokenFile = Path.Combine(Directory, $"{zone}.token");
        File.WriteAllText(tokenFile, token);
        _providerZones[zone] = new Dictionary<string, string>(StringComparer.Ordinal) { ["Type"] = "ElectricityMaps", ["Url"] = url, ["TokenFile"] = tokenFile };
    }

    /// <summary>
    /// Starts a service process named <paramref name="name"/> on this scenario's API, database and forecasts, with
    /// <paramref name="settings"/> (environment form) on top of the scenario's own.
    /// </summary>
    public async Task<ServiceProcess> StartServiceAsync(string name, IReadOnlyDictionary<string, string>? settings = null)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["Kubernetes__Enabled"] = "true",
            ["Kubernetes__KubeConfigFile"] = _kubeConfig,
            ["Deferral__Enabled"] = "true",
            ["Deferral__LeaseNamespace"] = LeaseNamespace,
            ["Deferral__LeaseDurationSeconds"] = "5",
            ["Deferral__SafetyMarginMinutes"] = "0",
            ["Storage__ConnectionString"] = ConnectionString,

            // Forecasts re-read every 10 s: each refresh makes the leader plan every held Job again, which must
            // never move a release that is due.
            ["Carbon__RefreshIntervalSeconds"] = "10",
        };
        foreach (var (zone, path) in _forecastFiles)
        {
            environment[$"Carbon__Zones__{zone}__Type"] = "File";
            environment[$"Carbon__Zones__{zone}__Path"] = path;
        }

        foreach (var (zone, source) in _providerZones)
        {
            foreach (var (key, value) in source)
            {
                environment[$"Carbon__Zones__{zone}__{key}"] = value;
            }
        }

        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            environment[key] = value;
        }

        var service = await ServiceProcess.StartAsync(name, environment, Path.Combine(Directory, $"service-{name}.log"));
        _services.Add(service);
        Log($"service {name} listening on {service.BaseAddress} (started {service.StartedAt:HH:mm:ss.fff})");
        return service;
    }

    /// <summary>Waits until one of <paramref name="candidates"/> holds the Lease, and returns it.</summary>
    public async Task<ServiceProcess> WaitForLeaderAsync(TimeSpan timeout, params ServiceProcess[] candidates)
    {
        ServiceProcess? leader = null;
        await Eventually.UntilAsync(
            () => (leader = candidates.FirstOrDefault(c => !c.HasExited && c.LeaderIdentity is { } id && id == LeaseHolder())) is not null,
            $"one of {string.Join(", ", candidates.Select(c => c.Name))} leads",
            Diagnostics,
            timeout);
        Log($"service {leader!.Name} leads");
        return leader;
    }

    /// <summary>Creates a Job as the admission webhook lets it in: suspended, marked held, with a deadline and a duration.</summary>
    public string AddHeldJob(string name, DateTimeOffset deadline, TimeSpan duration, string? zones = null)
    {
        var annotations = new Dictionary<string, string>
        {
            [CarbonAnnotations.Deadline] = deadline.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            [CarbonAnnotations.Duration] = ((int)duration.TotalSeconds).ToString(CultureInfo.InvariantCulture) + "s",
            [CarbonAnnotations.State] = "held",
        };
        if (zones is not null)
        {
            annotations[CarbonAnnotations.Zones] = zones;
        }

        Api.AddJob(TestJobs.Job(Namespace, name, suspend: true, annotations));
        return name;
    }

    /// <summary>The Job as the API serves it now.</summary>
    public V1Job Job(string name) => Api.GetJob(Namespace, name) ?? throw new InvalidOperationException($"no Job {name}");

    /// <summary>One annotation of a Job, or the empty string.</summary>
    public string Annotation(string name, string key) =>
        Job(name).Metadata.Annotations is { } annotations && annotations.TryGetValue(key, out var value) ? value : string.Empty;

    /// <summary>Waits until every Job has a plan written, and returns the plans.</summary>
    public async Task<IReadOnlyDictionary<string, WrittenPlan>> WaitForPlansAsync(IReadOnlyCollection<string> jobs, TimeSpan timeout)
    {
        await Eventually.UntilAsync(() => jobs.All(j => Annotation(j, CarbonAnnotations.PlannedStart).Length > 0), "every Job is planned", Diagnostics, timeout);
        var plans = jobs.ToDictionary(j => j, j => new WrittenPlan(
            Time(Annotation(j, CarbonAnnotations.PlannedStart)),
            Time(Annotation(j, CarbonAnnotations.LatestStart)),
            Annotation(j, CarbonAnnotations.PlannedZone)), StringComparer.Ordinal);
        foreach (var (job, plan) in plans)
        {
            Log($"{job}: planned {plan.Start:HH:mm:ss} in {plan.Zone}, latest start {plan.LatestStart:HH:mm:ss}");
        }

        return plans;
    }

    /// <summary>Waits until every Job has been let run and its <c>CarbonReleased</c> Event (recorded just after) is there.</summary>
    public Task WaitForReleasesAsync(IReadOnlyCollection<string> jobs, TimeSpan timeout) =>
        Eventually.UntilAsync(() => Releases.AllReleased(jobs) && jobs.All(j => ReleasedEvents(j) > 0), "every Job is released", Diagnostics, timeout);

    /// <summary>The <c>CarbonReleased</c> Events recorded on <paramref name="job"/>.</summary>
    public int ReleasedEvents(string job) =>
        Api.ListEvents(Namespace).Count(e => e.Reason == "CarbonReleased" && e.InvolvedObject?.Name == job);

    /// <summary>The release patches sent for <paramref name="job"/> (a refused one, 409 Conflict, counts too).</summary>
    public int ReleasePatchesSent(string job) =>
        Api.RequestsOf(ApiRequestKind.JobPatch).Count(r => r.Name == job && r.Body?.Contains("\"suspend\":false", StringComparison.Ordinal) == true);

    /// <summary>The Quartz wake-up triggers stored for the Jobs, by trigger name.</summary>
    public async Task<IReadOnlyList<string>> StoredWakeUpsAsync()
    {
        await using var connection = new NpgsqlConnection(ConnectionString + ";Pooling=false");
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT trigger_name FROM qrtz_triggers WHERE trigger_group = @group ORDER BY trigger_name", connection);
        command.Parameters.AddWithValue("group", QuartzWakeUps.Group);
        var names = new List<string>();
        try
        {
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                names.Add(reader.GetString(0));
            }
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UndefinedTable)
        {
            // The service applies the migrations in the background after it starts: until then nothing is stored.
        }

        return names;
    }

    /// <summary>Waits until <paramref name="count"/> wake-up triggers are stored (Quartz is written in the background).</summary>
    public Task WaitForStoredWakeUpsAsync(int count) =>
        EventuallyAsync.UntilAsync(async () => (await StoredWakeUpsAsync()).Count == count, $"{count} wake-ups are stored in PostgreSQL", Diagnostics, Timeline.Planning);

    /// <summary>
    /// Checks the deadline promise for each Job and writes the measured delays: released exactly once (one
    /// transition to running, one <c>CarbonReleased</c> Event), never before its planned start, no later than
    /// <paramref name="bound"/> of it, and by its latest safe start (give or take the time a decision takes, for a
    /// Job whose planned start is its latest one).
    /// </summary>
    public void AssertReleased(IReadOnlyDictionary<string, WrittenPlan> plans, Func<string, DateTimeOffset> bound)
    {
        Releases.ThrowIfBroken();
        var releases = Releases.Releases;
        foreach (var (job, plan) in plans.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var times = releases.GetValueOrDefault(job) ?? [];
            var at = Assert.Single(times);
            var delay = at - plan.Start;
            Log(string.Create(CultureInfo.InvariantCulture, $"{job}: released {at:HH:mm:ss.fff}, {delay.TotalSeconds:0.000} s after its planned start, {(plan.LatestStart - at).TotalSeconds:0.0} s before its latest start; {ReleasePatchesSent(job)} release patch(es) sent"));
            Assert.Equal(1, ReleasedEvents(job));
            Assert.True(at >= plan.Start, $"{job} was released at {at:HH:mm:ss.fff}, before its planned start {plan.Start:HH:mm:ss}");
            Assert.True(at <= bound(job), $"{job} was released at {at:HH:mm:ss.fff}, after the bound {bound(job):HH:mm:ss.fff} (planned {plan.Start:HH:mm:ss})");
            Assert.True(at <= plan.LatestStart + Timeline.Running, $"{job} was released at {at:HH:mm:ss.fff}, after its latest safe start {plan.LatestStart:HH:mm:ss}");
            Assert.Equal("released", Annotation(job, CarbonAnnotations.State));
            Assert.False(Job(job).Spec.Suspend);
        }
    }

    /// <summary>Asserts that no service process logged an error (<c>fail:</c> or <c>crit:</c>).</summary>
    public void AssertNoErrorsLogged()
    {
        var errors = _services.SelectMany(s => s.Problems().Select(line => $"{s.Name}: {line}")).ToList();
        Assert.True(errors.Count == 0, "The service logged errors:" + Environment.NewLine + string.Join(Environment.NewLine, errors.Select(Shortened)));
    }

    /// <summary>Writes <paramref name="line"/> to the test output with the wall-clock time.</summary>
    public void Log(string line) => _output.WriteLine($"{DateTimeOffset.UtcNow:HH:mm:ss.fff} {line}");

    /// <summary>What the Jobs, the Lease and each service process look like now, for failure messages.</summary>
    public string Diagnostics()
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"now {DateTimeOffset.UtcNow:HH:mm:ss.fff}; Lease holder {LeaseHolder() ?? "(none)"}");
        foreach (var job in Api.ListJobs(Namespace))
        {
            var annotations = new Dictionary<string, string>(job.Metadata.Annotations ?? new Dictionary<string, string>(), StringComparer.Ordinal);
            text.AppendLine(CultureInfo.InvariantCulture, $"Job {job.Metadata.Name}: suspend {job.Spec.Suspend}, state {annotations.GetValueOrDefault(CarbonAnnotations.State)}, planned {annotations.GetValueOrDefault(CarbonAnnotations.PlannedStart)}, latest {annotations.GetValueOrDefault(CarbonAnnotations.LatestStart)}, released {Releases.ReleasedAt(job.Metadata.Name):HH:mm:ss.fff}");
        }

        foreach (var service in _services)
        {
            text.AppendLine(service.Tail(40));
        }

        return text.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var service in _services)
        {
            await service.DisposeAsync();

            // What went wrong inside, for the test output (failed tests show it; `--logger "console;verbosity=detailed"` always).
            var problems = service.Problems("warn", "fail", "crit");
            Log($"service {service.Name}: {problems.Count} warning or error line(s){(problems.Count > 0 ? ":" : string.Empty)}");
            foreach (var line in problems.Take(40))
            {
                _output.WriteLine("    " + Shortened(line));
            }
        }

        await Releases.DisposeAsync();
        await Api.DisposeAsync();
        try
        {
            await Postgres.DropDatabaseAsync(ConnectionString);
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException)
        {
            // The server may be stopped by the test; it is deleted with its fixture anyway.
        }

        if (Environment.GetEnvironmentVariable("DEFERRAL_TESTS_KEEP_LOGS") is { Length: > 0 })
        {
            // For a look at every line each service wrote.
            Log($"kept {Directory}");
            return;
        }

        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A log still held open; the directory is in the temporary folder.
        }
    }

    // A zone's forecast file, named when it is first written.
    private string ForecastFile(string zone)
    {
        if (!_forecastFiles.TryGetValue(zone, out var path))
        {
            _forecastFiles[zone] = path = Path.Combine(Directory, $"{zone}.csv");
        }

        return path;
    }

    private string? LeaseHolder() => Api.GetLease(LeaseNamespace, new Kubernetes.Deferral.DeferralOptions().LeaseName)?.Spec?.HolderIdentity;

    // Log records carry whole stack traces on one line; the start says what happened.
    private static string Shortened(string line) => line.Length <= 400 ? line : line[..400] + " ...";

    private static DateTimeOffset Time(string text) =>
        DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    private static void Replace(string path, string text)
    {
        var temporary = path + ".new";
        File.WriteAllText(temporary, text);
        File.Move(temporary, path, overwrite: true);
    }
}

/// <summary>What the controller wrote on a Job: when and where it is to start, and the latest safe start.</summary>
internal sealed record WrittenPlan(DateTimeOffset Start, DateTimeOffset LatestStart, string Zone);
