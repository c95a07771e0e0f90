using Microsoft.Extensions.Configuration;
using Scheduler.Kubernetes.Deferral;

namespace Scheduler.Kubernetes.Tests.Deferral;

public class DeferralOptionsTests
{
    [Fact]
    public void Defaults_AreValidAndHoldNothing()
    {
        var options = new DeferralOptions();

        Assert.Empty(options.Validate());
        Assert.False(options.Enabled);
        Assert.False(options.DryRun);
        Assert.True(options.Pods);
        Assert.Equal("carbon-aware.io/deferral", options.KueueGate);
    }

    [Fact]
    public void ToSettings_CarriesEverySettingAndTheDefaultDuration()
    {
        var options = new DeferralOptions { SafetyMarginMinutes = 20, MinimumImprovementPercent = 7.5, MinimumRunMinutes = 45, MaxInterruptions = 2 };

        var settings = options.ToSettings(TimeSpan.FromMinutes(90));

        Assert.Equal(TimeSpan.FromMinutes(90), settings.DefaultDuration);
        Assert.Equal(TimeSpan.FromMinutes(20), settings.SafetyMargin);
        Assert.Equal(7.5, settings.MinimumImprovementPercent);
        Assert.Equal(TimeSpan.FromMinutes(45), settings.MinimumRun);
        Assert.Equal(2, settings.MaxInterruptions);
    }

    [Fact]
    public void ToSettings_Defaults_MatchThePlannersDefaults()
    {
        var settings = new DeferralOptions().ToSettings(TimeSpan.FromHours(1));

        Assert.Equal(new Scheduler.Core.Deferral.DeferralSettings(), settings);
    }

    [Fact]
    public void Validate_EveryBadSetting_HasItsOwnMessage()
    {
        var options = new DeferralOptions
        {
            SafetyMarginMinutes = -1,
            MinimumImprovementPercent = double.NaN,
            MinimumRunMinutes = 0,
            MaxInterruptions = 101,
            KueueGate = "a,b",
            DryRunNamespaces = ["team-a", "Team_B", "a,b"],
        };

        var errors = options.Validate();

        Assert.Equal(7, errors.Count);
        Assert.Contains(errors, e => e.StartsWith("Deferral:SafetyMarginMinutes is -1", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Deferral:MinimumImprovementPercent is NaN", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Deferral:MinimumRunMinutes is 0", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Deferral:MaxInterruptions is 101", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Deferral:KueueGate 'a,b'", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Deferral:DryRunNamespaces has 'Team_B'", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Deferral:DryRunNamespaces has 'a,b'", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("carbon aware")]
    public void Validate_BlankOrSpacedGate_IsRejected(string gate) =>
        Assert.Single(new DeferralOptions { KueueGate = gate }.Validate());

    [Fact]
    public void IsDryRun_GlobalOrListedNamespace()
    {
        Assert.True(new DeferralOptions { DryRun = true }.IsDryRun("any"));
        Assert.True(new DeferralOptions { DryRunNamespaces = ["ml"] }.IsDryRun("ml"));
        Assert.False(new DeferralOptions { DryRunNamespaces = ["ml"] }.IsDryRun("etl"));
        Assert.False(new DeferralOptions { DryRunNamespaces = ["ml"] }.IsDryRun(null));
    }

    [Fact]
    public void TeamLabels_Default_AreOursThenTeam()
    {
        var options = new DeferralOptions();

        Assert.Empty(options.TeamLabels);
        Assert.Equal(["carbon-aware.io/team", "team"], options.TeamLabelsInForce);
    }

    [Fact]
    public void LedgerSchedulerNames_DefaultIsTheCarbonAwareProfileAndAConfiguredListReplacesIt()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Deferral:LedgerSchedulerNames:0"] = "default-scheduler" })
            .Build();
        var options = new DeferralOptions();
        Assert.True(options.LedgerPlacedJobs);
        Assert.Equal(["carbon-aware"], options.LedgerSchedulerNamesInForce);

        configuration.GetSection(DeferralOptions.SectionName).Bind(options);

        Assert.Equal(["default-scheduler"], options.LedgerSchedulerNamesInForce);
        Assert.Empty(options.Validate());
    }

    [Theory]
    [InlineData("")]
    [InlineData(" carbon-aware")]
    public void Validate_BlankOrPaddedSchedulerName_IsRejected(string name)
    {
        var error = Assert.Single(new DeferralOptions { LedgerSchedulerNames = [name] }.Validate());

        Assert.StartsWith($"Deferral:LedgerSchedulerNames has '{name}'", error, StringComparison.Ordinal);
    }

    [Fact]
    public void TeamLabels_Configured_ReplaceTheDefault()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Deferral:TeamLabels:0"] = "example.com/owner" })
            .Build();
        var options = new DeferralOptions();

        configuration.GetSection(DeferralOptions.SectionName).Bind(options);

        Assert.Equal(["example.com/owner"], options.TeamLabelsInForce);
        Assert.Empty(options.Validate());
    }

    [Theory]
    [InlineData("")]
    [InlineData("team name")]
    [InlineData("/team")]
    [InlineData("Example.com/team")]
    [InlineData("team-")]
    public void Validate_TeamLabelThatIsNoLabelKey_IsRejected(string label)
    {
        var error = Assert.Single(new DeferralOptions { TeamLabels = [label] }.Validate());

        Assert.StartsWith($"Deferral:TeamLabels has '{label}'", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("team")]
    [InlineData("carbon-aware.io/team")]
    [InlineData("app.kubernetes.io/part-of")]
    [InlineData("Team_Name.v2")]
    public void Validate_TeamLabelKey_IsAccepted(string label) =>
        Assert.Empty(new DeferralOptions { TeamLabels = [label] }.Validate());
}
