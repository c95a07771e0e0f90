using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Scheduler.Extender.Tests.Fixtures;
using Scheduler.Tests.Shared;

namespace Scheduler.Extender.Tests.Deploy;

/// <summary>
/// <c>deploy/grafana</c>: the dashboard is valid JSON laid out without overlaps, and every metric its queries name
/// is one the extender really exports (scraped from <c>GET /metrics</c> of the real host), one documented but not
/// exported yet, or a Kepler metric of either schema named in <c>../shared/docs/reference/kepler.md</c>.
/// </summary>
public partial class GrafanaDashboardTests(ExportedMetricsFixture exported) : IClassFixture<ExportedMetricsFixture>
{
    /// <summary>
    /// Metrics the dashboard charts that are documented but not yet exported by the service. Add a name here only
    /// while it is being added, and remove it once <c>/metrics</c> serves it; with the list empty, every
    /// <c>carbon_*</c> metric of the dashboard must be one the service exports. The savings counters
    /// (<c>carbon_emitted_grams_total</c>, <c>carbon_baseline_grams_total</c>,
    /// <c>carbon_baseline_zone_run_time_grams_total</c>, <c>carbon_holding_grams_total</c>,
    /// <c>carbon_accounted_jobs_total</c>) and the ledger writer's <c>carbon_ledger_*</c> are exported.
    /// </summary>
    private static readonly string[] NotYetExported = [];

    private const int GridColumns = 24;

    private static readonly string Folder = RepositoryPaths.InRepository("deploy", "grafana");

    private static readonly string DashboardPath = Path.Combine(Folder, "carbon-aware-scheduler.json");

    [Fact]
    public void Dashboard_IsValidJson_WithPrometheusDatasourceAndVariables()
    {
        using var dashboard = Load();
        var root = dashboard.RootElement;

        Assert.True(root.GetProperty("schemaVersion").GetInt32() >= 39);
        Assert.False(string.IsNullOrWhiteSpace(root.GetProperty("uid").GetString()));
        var variables = root.GetProperty("templating").GetProperty("list").EnumerateArray().ToDictionary(v => v.GetProperty("name").GetString()!);

        var datasource = variables["datasource"];
        Assert.Equal("datasource", datasource.GetProperty("type").GetString());
        Assert.Equal("prometheus", datasource.GetProperty("query").GetString());

        var namespaces = variables["namespace"];
        Assert.Equal("label_values(carbon_emitted_grams_total, namespace)", VariableQuery(namespaces));
        Assert.True(namespaces.GetProperty("includeAll").GetBoolean());
        Assert.Equal("${datasource}", namespaces.GetProperty("datasource").GetProperty("uid").GetString());

        var zones = variables["zone"];
        Assert.Equal("label_values(carbon_zone_intensity_grams_per_kwh, zone)", VariableQuery(zones));
        Assert.Equal("${datasource}", zones.GetProperty("datasource").GetProperty("uid").GetString());
    }

    [Fact]
    public void Panels_HaveUniqueIds()
    {
        using var dashboard = Load();
        var ids = AllPanels(dashboard.RootElement).Select(p => p.GetProperty("id").GetInt32()).ToList();

        Assert.NotEmpty(ids);
        Assert.Empty(ids.GroupBy(id => id).Where(g => g.Count() > 1).Select(g => g.Key));
    }

    [Fact]
    public void Panels_FitTheGridWithoutOverlapping()
    {
        using var dashboard = Load();

        // The top-level panels share one grid; a collapsed row's panels are laid out among themselves.
        List<JsonElement> top = [.. dashboard.RootElement.GetProperty("panels").EnumerateArray()];
        List<List<JsonElement>> layers =
        [
            top,
            .. top.Where(p => p.TryGetProperty("panels", out var nested) && nested.GetArrayLength() > 0)
                .Select(p => p.GetProperty("panels").EnumerateArray().ToList()),
        ];

        foreach (var layer in layers)
        {
            var boxes = layer.Select(p => (Title: Title(p), Box: Box(p))).ToList();
            foreach (var (title, box) in boxes)
            {
                Assert.True(box.X >= 0 && box.Y >= 0 && box.W >= 1 && box.H >= 1 && box.X + box.W <= GridColumns, $"'{title}' lies off the grid: {box}");
            }

            for (var i = 0; i < boxes.Count; i++)
            {
                for (var j = i + 1; j < boxes.Count; j++)
                {
                    Assert.False(boxes[i].Box.Overlaps(boxes[j].Box), $"'{boxes[i].Title}' {boxes[i].Box} overlaps '{boxes[j].Title}' {boxes[j].Box}");
                }
            }
        }
    }

    [Fact]
    public void Panels_HaveDescriptionsWithUnitsAndTheDatasourceVariable()
    {
        using var dashboard = Load();

        foreach (var panel in AllPanels(dashboard.RootElement))
        {
            var description = panel.TryGetProperty("description", out var text) ? text.GetString() : null;
            Assert.False(string.IsNullOrWhiteSpace(description), $"'{Title(panel)}' has no description");
            if (panel.GetProperty("type").GetString() == "row")
            {
                continue;
            }

            Assert.True(description!.Contains("Unit", StringComparison.Ordinal), $"the description of '{Title(panel)}' names no unit");
            Assert.Equal("${datasource}", panel.GetProperty("datasource").GetProperty("uid").GetString());
            Assert.NotEqual(0, panel.GetProperty("targets").GetArrayLength());
            foreach (var target in panel.GetProperty("targets").EnumerateArray())
            {
                Assert.Equal("${datasource}", target.GetProperty("datasource").GetProperty("uid").GetString());
            }
        }
    }

    [Fact]
    public void Queries_NameOnlyExportedDocumentedOrKeplerMetrics()
    {
        using var dashboard = Load();
        var kepler = KeplerMetrics();
        var carbon = exported.Names.Union(NotYetExported, StringComparer.Ordinal).ToHashSet(StringComparer.Ordinal);
        var unknown = new List<string>();
        var queries = 0;

        foreach (var (where, expr) in Queries(dashboard.RootElement))
        {
            Assert.False(string.IsNullOrWhiteSpace(expr), $"{where} has an empty query");
            queries++;
            foreach (var name in MetricNames(expr))
            {
                var known = name.StartsWith("kepler_", StringComparison.Ordinal) ? kepler.Contains(name) : carbon.Contains(name);
                if (!known)
                {
                    unknown.Add($"{where}: {name}");
                }
            }
        }

        Assert.True(queries > 0);
        Assert.True(unknown.Count == 0, $"Metrics neither exported, nor listed as not yet exported, nor Kepler's (kepler.md):{Environment.NewLine}{string.Join(Environment.NewLine, unknown)}");
    }

    [Fact]
    public void Queries_ReadBothKeplerSchemas()
    {
        using var dashboard = Load();
        var names = Queries(dashboard.RootElement).SelectMany(q => MetricNames(q.Expr)).ToHashSet(StringComparer.Ordinal);

        // The 0.10+ rewrite, and the legacy 0.7-0.9 line.
        Assert.Contains("kepler_node_cpu_watts", names);
        Assert.Contains("kepler_pod_cpu_joules_total", names);
        Assert.Contains("kepler_node_package_joules_total", names);
        Assert.Contains("kepler_container_joules_total", names);
    }

    [Fact]
    public void Kustomization_GeneratesTheSidecarConfigMapFromTheDashboard()
    {
        var kustomization = File.ReadAllText(Path.Combine(Folder, "kustomization.yaml"));

        Assert.Contains("kind: Kustomization", kustomization, StringComparison.Ordinal);
        Assert.Contains("configMapGenerator:", kustomization, StringComparison.Ordinal);
        Assert.Contains("- carbon-aware-scheduler.json", kustomization, StringComparison.Ordinal);
        Assert.Contains("grafana_dashboard: \"1\"", kustomization, StringComparison.Ordinal);
        Assert.DoesNotContain('\t', kustomization);
    }

    private static JsonDocument Load() => JsonDocument.Parse(File.ReadAllText(DashboardPath));

    private static string Title(JsonElement panel) => panel.TryGetProperty("title", out var title) ? title.GetString() ?? "" : "";

    private static string VariableQuery(JsonElement variable)
    {
        var query = variable.GetProperty("query");
        return query.ValueKind == JsonValueKind.Object ? query.GetProperty("query").GetString()! : query.GetString()!;
    }

    /// <summary>Every panel, rows included, and the panels inside collapsed rows.</summary>
    private static IEnumerable<JsonElement> AllPanels(JsonElement root)
    {
        foreach (var panel in root.GetProperty("panels").EnumerateArray())
        {
            yield return panel;
            if (panel.TryGetProperty("panels", out var nested))
            {
                foreach (var inner in nested.EnumerateArray())
                {
                    yield return inner;
                }
            }
        }
    }

    /// <summary>Every target's expression, and the query of every query variable, with where it is.</summary>
    private static IEnumerable<(string Where, string Expr)> Queries(JsonElement root)
    {
        foreach (var panel in AllPanels(root).Where(p => p.TryGetProperty("targets", out _)))
        {
            foreach (var target in panel.GetProperty("targets").EnumerateArray())
            {
                var refId = target.TryGetProperty("refId", out var id) ? id.GetString() : "?";
                var expr = target.TryGetProperty("expr", out var text) ? text.GetString() ?? "" : "";
                yield return ($"panel {panel.GetProperty("id").GetInt32()} '{Title(panel)}' query {refId}", expr);
            }
        }

        foreach (var variable in root.GetProperty("templating").GetProperty("list").EnumerateArray().Where(v => v.GetProperty("type").GetString() == "query"))
        {
            yield return ($"variable {variable.GetProperty("name").GetString()}", VariableQuery(variable));
        }
    }

    /// <summary>
    /// The metric names of a query: every identifier that starts with <c>carbon_</c> or <c>kepler_</c>, whatever
    /// follows it (<c>{</c>, <c>[</c>, <c>)</c>, or <c>,</c> in <c>label_values</c>).
    /// </summary>
    private static IEnumerable<string> MetricNames(string expr) => MetricName().Matches(expr).Select(m => m.Value).Distinct(StringComparer.Ordinal);

    /// <summary>The Kepler metric names in the research notes, of both schemas (fragments of patterns such as <c>kepler_node_cpu_{active,idle}_...</c> left out).</summary>
    private static HashSet<string> KeplerMetrics()
    {
        var notes = File.ReadAllText(RepositoryPaths.SharedReference("kepler.md"));
        var names = KeplerName().Matches(notes).Select(m => m.Value).Where(n => !n.EndsWith('_')).ToHashSet(StringComparer.Ordinal);
        Assert.Contains("kepler_node_cpu_watts", names);
        Assert.Contains("kepler_node_package_joules_total", names);
        return names;
    }

    [GeneratedRegex(@"(?<![A-Za-z0-9_:])(?:carbon|kepler)_[A-Za-z0-9_:]+")]
    private static partial Regex MetricName();

    [GeneratedRegex(@"(?<![A-Za-z0-9_])kepler_[a-z0-9_]+")]
    private static partial Regex KeplerName();

    private readonly record struct GridBox(int X, int Y, int W, int H)
    {
        public bool Overlaps(GridBox other) => X < other.X + other.W && other.X < X + W && Y < other.Y + other.H && other.Y < Y + H;
    }

    private static GridBox Box(JsonElement panel)
    {
        var grid = panel.GetProperty("gridPos");
        return new GridBox(grid.GetProperty("x").GetInt32(), grid.GetProperty("y").GetInt32(), grid.GetProperty("w").GetInt32(), grid.GetProperty("h").GetInt32());
    }
}

/// <summary>
/// The metric names the real extender exports, from the <c># HELP</c> lines of one <c>GET /metrics</c>, with the
/// <c>_bucket</c>, <c>_sum</c> and <c>_count</c> series of histograms. The host runs the deferral controller
/// against the fake Kubernetes API (its metrics exist only then), and has answered a prioritize request and an
/// admission review, so every metric family is registered.
/// </summary>
public sealed class ExportedMetricsFixture : IAsyncLifetime
{
    private HashSet<string> _names = [];

    public IReadOnlySet<string> Names => _names;

    public async Task InitializeAsync()
    {
        await using var cluster = await DeferralCluster.StartAsync();
        var client = cluster.Server.Client;
        using (await client.PostAsync(new Uri("/prioritize", UriKind.Relative), new StringContent(TestNodes.Args(TestNodes.Pod(), names: ["fr-1", "de-1"]), Encoding.UTF8, "application/json")))
        using (await client.PostAsync(new Uri("/mutate/jobs", UriKind.Relative), new StringContent("[]", Encoding.UTF8, "application/json")))
        {
        }

        var text = await client.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var words = line.Split(' ', 4, StringSplitOptions.RemoveEmptyEntries);
            if (words is ["#", "HELP", var name, ..])
            {
                names.Add(name);
            }
            else if (words is ["#", "TYPE", var histogram, "histogram" or "summary"])
            {
                names.UnionWith([$"{histogram}_bucket", $"{histogram}_sum", $"{histogram}_count"]);
            }
        }

        Assert.Contains("carbon_extender_request_duration_seconds", names);
        Assert.Contains("carbon_deferral_slack_seconds_bucket", names);
        Assert.Contains("carbon_admission_reviews_total", names);
        Assert.Contains("carbon_baseline_zone_run_time_grams_total", names);
        Assert.Contains("carbon_ledger_writes_total", names);
        _names = names;
    }

    public Task DisposeAsync() => Task.CompletedTask;
}
