using Scheduler.Core.Scoring;

namespace Scheduler.Core.Tests.Scoring;

public class ScoringOptionsTests
{
    [Fact]
    public void Validate_Defaults_AreValid()
    {
        var options = new ScoringOptions();
        Assert.Empty(options.Validate());
        Assert.Equal(TimeSpan.FromHours(1), options.DefaultDuration);
        Assert.Equal(5, options.NeutralScore);
        Assert.Contains("nvidia.com/gpu", options.GpuResources);
    }

    [Fact]
    public void Validate_EachBadSetting_HasItsOwnMessage()
    {
        var options = new ScoringOptions
        {
            DefaultDurationMinutes = -1,
            NeutralScore = -1,
            DefaultCpuCores = 0,
            DefaultPue = 0.5,
            Pue = new() { ["DE"] = 0.9 },
            GpuResources = [""],
        };

        var errors = options.Validate();

        Assert.Equal(6, errors.Count);
        Assert.Contains(errors, e => e.Contains("Scoring:Pue:DE", StringComparison.Ordinal));
    }

    [Fact]
    public void PueOf_UnlistedZone_UsesDefault()
    {
        var options = new ScoringOptions { DefaultPue = 1.2, Pue = new(StringComparer.OrdinalIgnoreCase) { ["DE"] = 1.4 } };
        Assert.Equal(1.4, options.PueOf("de"));
        Assert.Equal(1.2, options.PueOf("FR"));
    }
}
