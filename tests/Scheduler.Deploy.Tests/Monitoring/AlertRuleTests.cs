using System.Text.RegularExpressions;
using Scheduler.Deploy.Tests.Models;
using Scheduler.Deploy.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace Scheduler.Deploy.Tests.Monitoring;

/// <summary>
/// The PrometheusRule: expressions over the service's own metrics only, each alert documented with a runbook
/// line in the README, valid for Prometheus (<c>promtool check rules</c>) and firing when it should
/// (<c>promtool test rules</c> with <c>TestData/alerts.test.yaml</c>).
/// </summary>
public partial class AlertRuleTests
{
    /// <summary>Series Prometheus makes itself for every scrape target, not exported by the service.</summary>
    private static readonly string[] PrometheusOwn = ["up"];

    private static readonly string[] HistogramSuffixes = ["_bucket", "_count", "_sum"];

    private static IReadOnlyList<Manifest> Monitoring => Kustomize.Render(DeployPaths.In("overlays", "monitoring"));

    private static PrometheusRule Rules => Monitoring.All<PrometheusRule>().Single();

    private static IEnumerable<PrometheusRule.Rule> Alerts => Rules.Spec!.Groups.SelectMany(g => g.Rules);

    [Fact]
    public void Alerts_CoverWhatTheServiceCanFailAt()
    {
        var names = Alerts.Select(r => r.Alert).ToHashSet();

        Assert.Superset(
            new HashSet<string?> { "CarbonForecastStale", "CarbonProviderErrors", "CarbonHeldJobsNearDeadline", "CarbonDeferralStalled", "CarbonExtenderFaults", "CarbonLedgerQueueGrowing", "CarbonLedgerDropping", "CarbonKeplerStale" },
            names);
    }

    [Fact]
    public void Expressions_NameOnlyMetricsTheServiceExports()
    {
        var exported = ReadmeSections.MetricNames();
        Assert.Contains("carbon_zone_forecast_age_seconds", exported);

        foreach (var rule in Alerts)
        {
            foreach (var metric in MetricNames(rule.Expr!))
            {
                var name = HistogramSuffixes.Where(metric.EndsWith).Select(s => metric[..^s.Length]).FirstOrDefault(exported.Contains) ?? metric;
                Assert.True(exported.Contains(name) || PrometheusOwn.Contains(name), $"{rule.Alert}: {metric} is not in the README's Metrics table.");
            }
        }
    }

    [Fact]
    public void EveryAlert_HasSeveritySummaryDescription_AndARunbookLineInTheReadme()
    {
        var runbook = ReadmeSections.Table(ReadmeSections.Section("Alerts")).ToDictionary(cells => ReadmeSections.Quoted(cells[0]).Single(), cells => cells);

        Assert.Equal(Alerts.Select(r => r.Alert!).Order(StringComparer.Ordinal), runbook.Keys.Order(StringComparer.Ordinal));
        foreach (var rule in Alerts)
        {
            Assert.Null(rule.Record);
            Assert.Contains(rule.Labels["severity"], new[] { "critical", "warning", "info" });
            Assert.Equal(rule.Labels["severity"], runbook[rule.Alert!][1]);
            Assert.False(string.IsNullOrWhiteSpace(rule.Annotations.GetValueOrDefault("summary")), $"{rule.Alert}: no summary");
            Assert.False(string.IsNullOrWhiteSpace(rule.Annotations.GetValueOrDefault("description")), $"{rule.Alert}: no description");
            Assert.False(string.IsNullOrWhiteSpace(runbook[rule.Alert!][3]), $"{rule.Alert}: no runbook line");
        }
    }

    [Fact]
    public void ServiceMonitor_ScrapesTheServicesMetricsEndpoint()
    {
        var monitor = Monitoring.All<ServiceMonitor>().Single();
        var service = Monitoring.Where(m => m.Value is k8s.Models.V1Service && m.Name == "carbon-extender").Select(m => (k8s.Models.V1Service)m.Value).Single();
        var endpoint = Assert.Single(monitor.Spec!.Endpoints);

        Assert.Equal("/metrics", endpoint.Path);
        Assert.Contains("/metrics", AppRoutes.All);
        Assert.Contains(service.Spec.Ports, p => p.Name == endpoint.Port);
        Assert.All(monitor.Spec.Selector!.MatchLabels, label => Assert.Equal(label.Value, service.Metadata.Labels[label.Key]));
        Assert.Equal([service.Metadata.NamespaceProperty], monitor.Spec.NamespaceSelector!.MatchNames);
        Assert.Equal(monitor.Metadata!.Labels["release"], Rules.Metadata!.Labels["release"]);
    }

    [Fact]
    public void MonitoringOverlay_PutsTheDashboardInGrafanasNamespace()
    {
        var dashboard = Monitoring.Single(m => m.Kind == "ConfigMap" && m.Name == "carbon-aware-scheduler-dashboard");

        Assert.Equal("monitoring", dashboard.Namespace);
        Assert.Equal("1", ((k8s.Models.V1ConfigMap)dashboard.Value).Metadata.Labels["grafana_dashboard"]);
    }

    [Fact]
    public void Rules_PassPromtoolCheck_AndItsUnitTests()
    {
        var promtool = ProcessRunner.Find("promtool")
            ?? throw new InvalidOperationException("promtool is required (apt-get install prometheus; .ci/run installs it).");
        var folder = Directory.CreateTempSubdirectory("alerts-");
        try
        {
            File.WriteAllText(Path.Combine(folder.FullName, "rules.yaml"), RulesFile());
            File.Copy(Path.Combine(AppContext.BaseDirectory, "TestData", "alerts.test.yaml"), Path.Combine(folder.FullName, "alerts.test.yaml"));

            var check = ProcessRunner.Run(promtool, ["check", "rules", "rules.yaml"], folder.FullName);
            Assert.True(check.ExitCode == 0, check.Output);
            var test = ProcessRunner.Run(promtool, ["test", "rules", "alerts.test.yaml"], folder.FullName);
            Assert.True(test.ExitCode == 0, test.Output);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public void MetricNames_SkipsFunctionsLabelsAndStrings()
    {
        var names = MetricNames("sum by (zone) (rate(carbon_provider_errors_total{kind=\"carbon_x\"}[5m])) > 0 or absent(up{job=\"a\"})");

        Assert.Equal(["carbon_provider_errors_total", "up"], names.Order(StringComparer.Ordinal));
    }

    /// <summary>The metric names of a PromQL expression: identifiers that select series, outside strings.</summary>
    private static HashSet<string> MetricNames(string expression)
    {
        var withoutStrings = QuotedString().Replace(expression, "\"\"");
        var withoutGrouping = Grouping().Replace(withoutStrings, string.Empty);
        var withoutMatchers = Ranges().Replace(Matchers().Replace(withoutGrouping, "{}"), string.Empty);
        return Identifier().Matches(withoutMatchers)
            .Where(m => !IsFunctionOrKeyword(m, withoutMatchers))
            .Select(m => m.Value)
            .ToHashSet(StringComparer.Ordinal);
    }

    private static bool IsFunctionOrKeyword(Match match, string expression)
    {
        var after = expression[(match.Index + match.Length)..].TrimStart();
        return after.StartsWith('(')
            || match.Value is "and" or "or" or "unless" or "on" or "ignoring" or "group_left" or "group_right" or "bool" or "offset" or "by" or "without"
            || double.TryParse(match.Value, out _);
    }

    /// <summary>The rule groups as a Prometheus rules file, without annotations (their templates are not under test).</summary>
    private static string RulesFile()
    {
        var groups = new YamlSequenceNode();
        foreach (var group in Rules.Spec!.Groups)
        {
            var rules = new YamlSequenceNode();
            foreach (var rule in group.Rules)
            {
                var node = new YamlMappingNode { { "alert", rule.Alert! }, { "expr", rule.Expr! } };
                if (rule.For is { } forDuration)
                {
                    node.Add("for", forDuration);
                }

                node.Add("labels", new YamlMappingNode(rule.Labels.Select(p => new KeyValuePair<YamlNode, YamlNode>(new YamlScalarNode(p.Key), new YamlScalarNode(p.Value)))));
                rules.Add(node);
            }

            groups.Add(new YamlMappingNode { { "name", group.Name! }, { "rules", rules } });
        }

        return YamlTree.ToText(new YamlMappingNode { { "groups", groups } });
    }

    [GeneratedRegex("\"(?:[^\"\\\\]|\\\\.)*\"")]
    private static partial Regex QuotedString();

    [GeneratedRegex(@"\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)")]
    private static partial Regex Grouping();

    [GeneratedRegex(@"\{[^}]*\}")]
    private static partial Regex Matchers();

    [GeneratedRegex(@"\[[^\]]*\]")]
    private static partial Regex Ranges();

    [GeneratedRegex(@"(?<![\w.])[a-zA-Z_:][a-zA-Z0-9_:]*")]
    private static partial Regex Identifier();
}
