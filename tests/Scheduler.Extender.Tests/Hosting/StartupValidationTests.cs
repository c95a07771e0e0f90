using Scheduler.Extender.Tests.Fixtures;

namespace Scheduler.Extender.Tests.Hosting;

/// <summary>The service started as deployed with bad settings: every problem reported at once, no stack trace, exit code 2.</summary>
public class StartupValidationTests
{
    [Fact]
    public async Task Start_ManyBadSettings_ReportsEachAndExitsWith2()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"missing-{Guid.NewGuid():N}");
        await using var service = ExtenderProcess.Start(
            new Dictionary<string, string>
            {
                ["Kepler__PrometheusUrl"] = "prometheus:9090",
                ["Carbon__RefreshIntervalSeconds"] = "0",
                ["Carbon__ProviderTimeoutSeconds"] = "-5",
                ["Carbon__Zones__FR__Type"] = "ElectricityMapz",
                ["Carbon__Zones__DE__Type"] = "ElectricityMaps",
                ["Carbon__Zones__DE__TokenFile"] = Path.Combine(missing, "token"),
                ["Carbon__Zones__GB__Type"] = "WattTime",
                ["Carbon__Zones__GB__Url"] = "not a url",
                ["Storage__ConnectionString"] = "Host=db;;Port==x",
                ["Deferral__SafetyMarginMinutes"] = "-1",
                ["RateLimits__SchedulerConcurrency"] = "-1",
                ["Extender__MaxRequestBytes"] = "lots",
                ["Kubernetes__KubeConfigFile"] = Path.Combine(missing, "kubeconfig"),
                ["Tls__Port"] = "https",
                ["Models__Directory"] = missing,
            });

        var exitCode = await service.WaitForExitAsync();

        Assert.True(exitCode == 2, $"exit code {exitCode}:{Environment.NewLine}{service.Output}");
        var output = service.Output;
        string[] expected =
        [
            "Kepler:PrometheusUrl 'prometheus:9090' is not an absolute http(s) URL.",
            "Carbon:RefreshIntervalSeconds is 0",
            "Carbon:ProviderTimeoutSeconds is -5",
            "Carbon:Zones:FR:Type is 'ElectricityMapz'",
            $"Carbon:Zones:DE:TokenFile '{Path.Combine(missing, "token")}' does not exist.",
            "Carbon:Zones:GB:Url 'not a url' is not an absolute URL.",
            "Carbon:Zones:GB:Username",
            "Storage:ConnectionString is not a valid PostgreSQL connection string",
            "Deferral:SafetyMarginMinutes is -1",
            $"Kubernetes:KubeConfigFile '{Path.Combine(missing, "kubeconfig")}' does not exist.",
            "RateLimits:SchedulerConcurrency is -1",
            "'lots' at 'Extender:MaxRequestBytes'",
            "'https' at 'Tls:Port'",
            $"Models:Directory '{missing}' does not exist.",
        ];
        foreach (var message in expected)
        {
            Assert.True(output.Contains(message, StringComparison.Ordinal), $"'{message}' is not reported:{Environment.NewLine}{output}");
        }

        Assert.StartsWith("Configuration errors (", service.Lines[0], StringComparison.Ordinal);
        Assert.DoesNotContain(service.Lines, line => line.TrimStart().StartsWith("at ", StringComparison.Ordinal));
        Assert.DoesNotContain("Exception", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_CredentialsInAUrl_AreRefusedWithoutRepeatingThem()
    {
        await using var service = ExtenderProcess.Start(
            new Dictionary<string, string>
            {
                ["Kepler__PrometheusUrl"] = "https://kepler:S3cret-in-url@prometheus:9090",
                ["Carbon__Zones__DE__Type"] = "CarbonAwareSdk",
                ["Carbon__Zones__DE__Url"] = "https://sdk:An0ther-secret@carbon-sdk",
            });

        Assert.Equal(2, await service.WaitForExitAsync());
        Assert.Contains("Kepler:PrometheusUrl carries credentials", service.Output, StringComparison.Ordinal);
        Assert.Contains("Carbon:Zones:DE:Url carries credentials", service.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("S3cret-in-url", service.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("An0ther-secret", service.Output, StringComparison.Ordinal);
    }
}
