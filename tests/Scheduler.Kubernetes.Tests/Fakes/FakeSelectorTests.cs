using System.Text.Json.Nodes;

namespace Scheduler.Kubernetes.Tests.Fakes;

/// <summary>The fake's label and field selectors follow Kubernetes' semantics, absent labels included.</summary>
public sealed class FakeSelectorTests
{
    private static readonly Dictionary<string, string> Labels = new() { ["job-name"] = "train", ["tier"] = "gpu", ["priority"] = "5" };

    [Theory]
    [InlineData("", true)]
    [InlineData("job-name=train", true)]
    [InlineData("job-name==train,tier=gpu", true)]
    [InlineData("job-name=eval", false)]
    [InlineData("job-name!=eval", true)]
    [InlineData("absent!=x", true)]
    [InlineData("tier in (cpu, gpu)", true)]
    [InlineData("tier notin (gpu)", false)]
    [InlineData("absent notin (x)", true)]
    [InlineData("tier", true)]
    [InlineData("!tier", false)]
    [InlineData("!absent", true)]
    [InlineData("priority>4", true)]
    [InlineData("priority<5", false)]
    [InlineData("batch.kubernetes.io/job-name=train", false)]
    public void LabelSelector_Matches(string selector, bool expected)
    {
        Assert.Equal(expected, LabelSelector.Parse(selector).Matches(Labels));
    }

    [Theory]
    [InlineData("=x")]
    [InlineData("tier in (a")]
    [InlineData("priority>high")]
    [InlineData("bad key=x")]
    public void LabelSelector_Malformed_Is400(string selector)
    {
        var e = Assert.Throws<ApiStatusException>(() => LabelSelector.Parse(selector));

        Assert.Equal(400, e.Code);
        Assert.StartsWith("unable to parse requirement: ", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FieldSelector_ReadsTheResourcesFieldLabels()
    {
        var job = JsonNode.Parse("""{"metadata":{"name":"train","namespace":"ml"},"status":{}}""")!.AsObject();

        Assert.True(FieldSelector.Parse("metadata.name=train,metadata.namespace==ml", ResourceCatalog.Jobs).Matches(job));
        Assert.True(FieldSelector.Parse("status.successful=0", ResourceCatalog.Jobs).Matches(job));
        Assert.False(FieldSelector.Parse("metadata.name!=train", ResourceCatalog.Jobs).Matches(job));
        var e = Assert.Throws<ApiStatusException>(() => FieldSelector.Parse("spec.suspend=true", ResourceCatalog.Jobs));
        Assert.Equal((400, "field label not supported: spec.suspend"), (e.Code, e.Message));
    }
}
