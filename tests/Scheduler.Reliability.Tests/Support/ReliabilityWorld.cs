using System.Globalization;
using System.Text.Json;
using Npgsql;
using Scheduler.Deferral.Tests.Support;
using Scheduler.Kubernetes.Nodes;
using Scheduler.Kubernetes.Tests.Fakes;
using Scheduler.Kubernetes.Tests.Support;
using Scheduler.Signals.Tests.Kepler.Fixtures;
using Scheduler.Signals.Tests.Providers.Fakes;
using Scheduler.Tests.Postgres;

namespace Scheduler.Reliability.Tests.Support;

/// <summary>
/// Everything the extender depends on, real where it can run here and faked by real HTTP servers where it cannot,
/// and the real service in a child process configured to use all of it:
/// <list type="bullet">
/// <item>a real PostgreSQL holding the ledger (scoring samples 1 in 5, intensity records);</item>
/// <item>a real Prometheus scraping a simulated Kepler (rewrite schema) of the cluster's eight nodes every second;</item>
/// <item>the fake Kubernetes API serving those eight nodes, watched by the service (<c>Kubernetes__Enabled=true</c>);</item>
/// <item>four carbon providers, each behind a <see cref="ProviderFront"/> that can inject a fault: Electricity Maps
/// (DE) and WattTime (US-CAL-CISO) answering for the current time, UK NESO (GB) and the Carbon Aware SDK (FR) answering
/// with their real captured responses moved to the current time.</item>
/// </list>
/// Timeouts, retries and refresh intervals are shortened (within what the settings allow) so that each fault
/// outlasts them within seconds.
/// </summary>
public sealed class ReliabilityWorld : IAsyncLifetime
{
    /// <summary>The zones, one per provider.</summary>
    public static readonly IReadOnlyList<string> Zones = ["DE", "US-CAL-CISO", "GB", "FR"];

    /// <summary>How often the service refreshes forecasts (the smallest allowed).</summary>
    public static readonly TimeSpan CarbonRefresh = TimeSpan.FromSeconds(10);

    private const string EmToken = "em-token-reliability";
    private const string WtUser = "platform";
    private const string WtPassword = "wt-password-reliability";
    private const string WtRegion = "CAISO_NORTH";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly TaskCompletionSource _stop = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<IAsyncDisposable> _parts = [];
    private Task? _feeding;
    private int _issue;

    /// <summary>The real PostgreSQL.</summary>
    public PostgresServer Postgres { get; private set; } = null!;

    /// <summary>The ledger's database.</summary>
    public string ConnectionString { get; private set; } = string.Empty;

    /// <summary>The real Prometheus scraping <see cref="Kepler"/>.</summary>
    public PrometheusServer Prometheus { get; private set; } = null!;

    /// <summary>The simulated Kepler exporter.</summary>
    public KeplerExporter Kepler { get; private set; } = null!;

    /// <summary>The fake Kubernetes API.</summary>
    public FakeKubernetesApiServer Api { get; private set; } = null!;

    /// <summary>The fronts of the providers, by zone.</summary>
    public IReadOnlyDictionary<string, ProviderFront> Providers { get; private set; } = new Dictionary<string, ProviderFront>();

    /// <summary>The node names, two per zone.</summary>
    public IReadOnlyList<string> NodeNames { get; private set; } = [];

    /// <summary>The service.</summary>
    internal ServiceProcess Service { get; private set; } = null!;

    /// <summary>An HTTP client for the service (10 s timeout: never the bound a test asserts).</summary>
    public HttpClient Client { get; private set; } = null!;

    /// <summary>The working directory: kubeconfig, secrets, the service's log.</summary>
    public string Directory { get; private set; } = string.Empty;

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        try
        {
            Directory = System.IO.Directory.CreateTempSubdirectory("reliability-").FullName;
            Postgres = await PostgresServer.CreateAsync();
            ConnectionString = await Postgres.CreateDatabaseAsync();

            NodeNames = [.. Zones.SelectMany(zone => new[] { NodeName(zone, 1), NodeName(zone, 2) })];
            Api = await FakeKubernetesApiServer.StartAsync();
            Api.AddNodes(NodeNames.Select(name => TestNodes.Node(
                name,
                new Dictionary<string, string> { [NodeLabels.GridZone] = ZoneOf(name) },
                new Dictionary<string, string> { ["cpu"] = "16", ["memory"] = "64Gi", ["pods"] = "110" })));

            var kepler = new SimulatedKepler(KeplerSchemaVersion.Rewrite);
            foreach (var (name, i) in NodeNames.Select((n, i) => (n, i)))
            {
                kepler.AddNode(name, cpus: 16, packageWatts: 120 + (10 * i), dramWatts: 12, usageRatio: 0.4);
            }

            Kepler = await KeplerExporter.StartAsync(kepler);
            Prometheus = await PrometheusServer.StartAsync(new PrometheusServerOptions { Targets = [Kepler.Target()] });

            Providers = await StartProvidersAsync();
            Feed();
            _feeding = Task.Run(FeedAsync);

            Service = await ServiceProcess.StartAsync("extender", Environment(), Path.Combine(Directory, "service.log"));
            Client = new HttpClient { BaseAddress = Service.BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        _stop.TrySetResult();
        if (_feeding is not null)
        {
            await _feeding;
        }

        Client?.Dispose();
        if (Service is not null)
        {
            await Service.DisposeAsync();
        }

        foreach (var part in Enumerable.Reverse(_parts))
        {
            await part.DisposeAsync();
        }

        foreach (var part in new IAsyncDisposable?[] { Prometheus, Kepler, Api, Postgres })
        {
            if (part is not null)
            {
                await part.DisposeAsync();
            }
        }

        if (System.Environment.GetEnvironmentVariable("RELIABILITY_TESTS_KEEP_LOGS") is not { Length: > 0 } && Directory.Length > 0)
        {
            try
            {
                System.IO.Directory.Delete(Directory, recursive: true);
            }
            catch (IOException)
            {
                // A log still held open; it is in the temporary folder.
            }
        }
    }

    /// <summary>The zone of a node name made by <see cref="NodeName"/>.</summary>
    public static string ZoneOf(string node) => Zones.Single(zone => node.StartsWith(zone.ToLowerInvariant() + "-", StringComparison.Ordinal));

    /// <summary>The service's <c>/metrics</c> text.</summary>
    public Task<string> MetricsAsync() => Client.GetStringAsync(new Uri("/metrics", UriKind.Relative));

    /// <summary>The sum of every series of <paramref name="metric"/> whose labels contain each of <paramref name="labels"/> (e.g. <c>kind="Server"</c>).</summary>
    public static double Sum(string metrics, string metric, params string[] labels)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        var sum = 0.0;
        foreach (var line in metrics.Split('\n'))
        {
            if (line.StartsWith(metric, StringComparison.Ordinal) && line.Length > metric.Length && line[metric.Length] is '{' or ' '
                && labels.All(label => line.Contains(label, StringComparison.Ordinal)))
            {
                sum += double.Parse(line[(line.LastIndexOf(' ') + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture);
            }
        }

        return sum;
    }

    /// <summary>The service's <c>/readyz</c>: its status code and its text (<c>Healthy</c>, <c>Degraded</c> or <c>Unhealthy</c>).</summary>
    public async Task<(int Status, string Text)> ReadyAsync()
    {
        using var response = await Client.GetAsync(new Uri("/readyz", UriKind.Relative));
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Each zone's state as <c>GET /intensity</c> reports it.</summary>
    public async Task<IReadOnlyDictionary<string, ZoneState>> ZonesAsync()
    {
        using var document = JsonDocument.Parse(await Client.GetStringAsync(new Uri("/intensity", UriKind.Relative)));
        return document.RootElement.GetProperty("zones").EnumerateArray()
            .Select(z => z.Deserialize<ZoneState>(Json)!)
            .ToDictionary(z => z.Zone, StringComparer.Ordinal);
    }

    /// <summary>Runs a count query on the ledger's database.</summary>
    public async Task<long> CountAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(ConnectionString + ";Pooling=false");
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    private static string NodeName(string zone, int index) => string.Create(CultureInfo.InvariantCulture, $"{zone.ToLowerInvariant()}-{index}");

    private Dictionary<string, string> Environment()
    {
        var kubeConfig = Path.Combine(Directory, "kubeconfig");
        File.WriteAllText(kubeConfig, FakeKubeConfig.For(Api.Host, "default"));
        var emToken = Path.Combine(Directory, "em-token");
        File.WriteAllText(emToken, EmToken);
        var wtPassword = Path.Combine(Directory, "wt-password");
        File.WriteAllText(wtPassword, WtPassword);
        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["Kubernetes__Enabled"] = "true",
            ["Kubernetes__KubeConfigFile"] = kubeConfig,
            ["Storage__ConnectionString"] = ConnectionString,
            ["Storage__RetryIntervalSeconds"] = "2",
            ["Ledger__ScoringSampleEvery"] = "5",
            ["Kepler__PrometheusUrl"] = Prometheus.Url,
            ["Kepler__RefreshIntervalSeconds"] = "5",
            ["Kepler__ReadingWindowSeconds"] = "10",
            ["Kepler__QueryTimeoutSeconds"] = "2",
            ["Kepler__MaxRetryAttempts"] = "1",
            ["Kepler__CircuitBreakSeconds"] = "3",
            ["Carbon__RefreshIntervalSeconds"] = CarbonRefresh.TotalSeconds.ToString(CultureInfo.InvariantCulture),
            ["Carbon__ProviderTimeoutSeconds"] = "2",
            ["Carbon__MaxRetryAttempts"] = "1",
            ["Carbon__RetryBaseDelaySeconds"] = "0.2",
            ["Carbon__MaxRetryAfterSeconds"] = "3",
            ["Carbon__CircuitBreakSeconds"] = "3",
            ["Carbon__Zones__DE__Type"] = "ElectricityMaps",
            ["Carbon__Zones__DE__Url"] = Providers["DE"].Url,
            ["Carbon__Zones__DE__TokenFile"] = emToken,
            ["Carbon__Zones__US-CAL-CISO__Type"] = "WattTime",
            ["Carbon__Zones__US-CAL-CISO__Url"] = Providers["US-CAL-CISO"].Url,
            ["Carbon__Zones__US-CAL-CISO__Region"] = WtRegion,
            ["Carbon__Zones__US-CAL-CISO__Username"] = WtUser,
            ["Carbon__Zones__US-CAL-CISO__PasswordFile"] = wtPassword,
            ["Carbon__Zones__GB__Type"] = "UkNeso",
            ["Carbon__Zones__GB__Url"] = Providers["GB"].Url,
            ["Carbon__Zones__FR__Type"] = "CarbonAwareSdk",
            ["Carbon__Zones__FR__Url"] = Providers["FR"].Url,
            ["Carbon__Zones__FR__Region"] = CarbonAwareSdkFakeApi.ForecastLocation,
        };
    }

    private ElectricityMapsFakeServer _electricityMaps = null!;
    private WattTimeFakeServer _wattTime = null!;

    private async Task<Dictionary<string, ProviderFront>> StartProvidersAsync()
    {
        _electricityMaps = await ElectricityMapsFakeServer.StartAsync(EmToken);
        _parts.Add(_electricityMaps);
        _wattTime = await WattTimeFakeServer.StartAsync(WtUser, WtPassword, TimeProvider.System);
        _parts.Add(_wattTime);

        // NESO and the Carbon Aware SDK answer with their real captured responses, moved to now.
        var neso = await UkNesoFakeApi.StartAsync();
        _parts.Add(neso);
        var national = UkNesoFakeApi.NationalJson;
        neso.Override = context => UkNesoFakeApi.WriteJsonAsync(context, ShiftedCapture.Shift(national, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(30)));
        var sdk = await CarbonAwareSdkFakeApi.StartAsync();
        _parts.Add(sdk);
        // Its JSON writer escapes the '+' of "+00:00" as \u002B; unescaped, the timestamps can be moved.
        var forecast = CarbonAwareSdkFakeApi.ForecastJson(CarbonAwareSdkFakeApi.ForecastLocation).Replace("\\u002B", "+", StringComparison.Ordinal);
        sdk.Override = context => context.Request.Path.Value == "/emissions/forecasts/current"
            ? CarbonAwareSdkFakeApi.WriteJsonAsync(context, ShiftedCapture.Shift(forecast, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(15)))
            : NoContentAsync(context);

        var fronts = new Dictionary<string, ProviderFront>(StringComparer.Ordinal);
        foreach (var (zone, url) in new[] { ("DE", _electricityMaps.Url), ("US-CAL-CISO", _wattTime.Url), ("GB", neso.BaseUrl.ToString()), ("FR", sdk.BaseUrl.ToString()) })
        {
            var front = await ProviderFront.StartAsync(url);
            _parts.Add(front);
            fronts[zone] = front;
        }

        return fronts;
    }

    // The SDK's answer when its data source has nothing for the period (no actuals here).
    private static Task NoContentAsync(Microsoft.AspNetCore.Http.HttpContext context)
    {
        context.Response.StatusCode = Microsoft.AspNetCore.Http.StatusCodes.Status204NoContent;
        return Task.CompletedTask;
    }

    // A new issue every few seconds, as the live APIs publish: the service records each as a new forecast.
    private async Task FeedAsync()
    {
        while (await Task.WhenAny(Task.Delay(TimeSpan.FromSeconds(3)), _stop.Task) != _stop.Task)
        {
            Feed();
        }
    }

    private void Feed()
    {
        var now = DateTimeOffset.UtcNow;
        var issue = Interlocked.Increment(ref _issue);
        _electricityMaps.Set("DE", "forecast", ProviderBodies.ElectricityMapsForecast("DE", now, issue));
        _electricityMaps.Set("DE", "history", ProviderBodies.ElectricityMapsHistory("DE", now));
        _electricityMaps.Set("DE", "latest", ProviderBodies.ElectricityMapsLatest("DE", now));
        _electricityMaps.Set("DE", "past-range", ProviderBodies.ElectricityMapsHistory("DE", now).Replace("\"history\"", "\"data\"", StringComparison.Ordinal));
        _wattTime.Set(WtRegion, "forecast", ProviderBodies.WattTimeForecast(WtRegion, now, issue));
        _wattTime.Set(WtRegion, "historical", ProviderBodies.WattTimeHistorical(WtRegion, now));
    }
}

/// <summary>One zone of <c>GET /intensity</c>.</summary>
public sealed record ZoneState(string Zone, string? Provider, string? Origin, string? Source, double? CurrentGramsPerKwh, DateTimeOffset? LastSuccess, string? LastError);
