using Scheduler.Core.Quantities;

namespace Scheduler.Core.Tests.Quantities;

public class ResourceQuantityTests
{
    [Theory]
    [InlineData("500m", 0.5)]
    [InlineData("2", 2)]
    [InlineData("1.5", 1.5)]
    [InlineData("3500m", 3.5)]
    [InlineData("1Ki", 1024)]
    [InlineData("4Gi", 4d * 1024 * 1024 * 1024)]
    [InlineData("1k", 1000)]
    [InlineData("1e3", 1000)]
    [InlineData("2M", 2e6)]
    [InlineData("100n", 1e-7)]
    public void TryParse_KubernetesQuantity_ReadsTheNumber(string text, double expected)
    {
        Assert.True(ResourceQuantity.TryParse(text, out var value));
        Assert.Equal(expected, value, 9);
    }

    [Theory]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("1Xi")]
    [InlineData("m")]
    [InlineData("NaN")]
    public void TryParse_NotAQuantity_ReturnsFalse(string text) =>
        Assert.False(ResourceQuantity.TryParse(text, out _));
}
