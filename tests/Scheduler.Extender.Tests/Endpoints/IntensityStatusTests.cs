using System.Text.Json.Nodes;
using Scheduler.Extender.Tests.Fixtures;

namespace Scheduler.Extender.Tests.Endpoints;

public class IntensityStatusTests(ExtenderServerFixture fixture) : IClassFixture<ExtenderServerFixture>
{
    [Fact]
    public async Task Get_Intensity_ListsEveryZoneWithItsSourceAndOrigin()
    {
        var body = JsonNode.Parse(await fixture.Server.Client.GetStringAsync(new Uri("/intensity", UriKind.Relative)))!;

        var zones = body["zones"]!.AsArray();
        Assert.Equal(["DE", "FR", "GB", "US-CAL-CISO"], zones.Select(z => (string?)z!["zone"]));
        var de = zones.Single(z => (string?)z!["zone"] == "DE")!;
        Assert.Equal("profile", (string?)de["source"]);
        Assert.Equal("Profile", (string?)de["origin"]);
        Assert.Equal("Average", (string?)de["signal"]);
        Assert.InRange((double)de["currentGramsPerKwh"]!, 100, 600);
        Assert.NotNull(body["forecastErrors"]);
    }
}
