using Scheduler.Signals.Kepler;

namespace Scheduler.Signals.Tests.Kepler;

public sealed class KeplerOptionsTests
{
    [Fact]
    public void Validate_Defaults_AreValidAndDisabled()
    {
        var options = new KeplerOptions();

        Assert.Empty(options.Validate());
        Assert.False(options.IsEnabled);
        Assert.Equal(["package", "dram"], options.Zones);
    }

    [Theory]
    [InlineData("prometheus:9090", "Kepler:PrometheusUrl 'prometheus:9090' is not an absolute http(s) URL.")]
    [InlineData("ftp://prometheus", "Kepler:PrometheusUrl 'ftp://prometheus' is not an absolute http(s) URL.")]
    public void Validate_BadUrl_SaysWhich(string url, string message)
    {
        Assert.Equal([message], new KeplerOptions { PrometheusUrl = url }.Validate());
    }

    [Fact]
    public void Validate_EveryBadSetting_GetsItsOwnMessage()
    {
        var errors = new KeplerOptions
        {
            RefreshIntervalSeconds = 0,
            IdleQuantile = 0.9,
            CpuZones = "package,dr am",
            TokenFile = "/no/such/file",
        }.Validate();

        Assert.Contains("Kepler:RefreshIntervalSeconds is 0; it must be between 5 and 3600.", errors);
        Assert.Contains("Kepler:IdleQuantile is 0.9; it must be between 0 and 0.5.", errors);
        Assert.Contains("Kepler:TokenFile '/no/such/file' does not exist.", errors);
        Assert.Contains(errors, e => e.StartsWith("Kepler:CpuZones has 'dr am'", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_HistoryBeyondPrometheusPointLimit_AsksForALargerStep()
    {
        var errors = new KeplerOptions { HistoryDays = 30, HistoryStepSeconds = 60 }.Validate();

        Assert.Contains(errors, e => e.Contains("11,000 points", StringComparison.Ordinal));
    }
}
