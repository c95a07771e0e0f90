using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Scheduler.Extender.Tests.Fixtures;

namespace Scheduler.Extender.Tests.Endpoints;

public class BadRequestTests(ExtenderServerFixture fixture) : IClassFixture<ExtenderServerFixture>
{
    private HttpClient Client => fixture.Server.Client;

    [Theory]
    [InlineData("/filter", "")]
    [InlineData("/filter", "not json")]
    [InlineData("/filter", "{\"Pod\":{}}")]
    [InlineData("/prioritize", "{\"Pod\":")]
    [InlineData("/prioritize", "[]")]
    [InlineData("/prioritize", "{\"Pod\":{},\"NodeNames\":[null]}")]
    public async Task Post_MalformedBody_Is400WithAMessage(string path, string body)
    {
        using var response = await Client.PostAsync(new Uri(path, UriKind.Relative), new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["Error"];
        Assert.False(string.IsNullOrWhiteSpace(error));
    }

    [Fact]
    public async Task Get_OnAVerb_IsMethodNotAllowed()
    {
        using var response = await Client.GetAsync(new Uri("/prioritize", UriKind.Relative));
        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
    }

    [Fact]
    public async Task Post_AfterBadRequests_ServerStillAnswers()
    {
        for (var i = 0; i < 20; i++)
        {
            using var bad = await Client.PostAsync(new Uri("/filter", UriKind.Relative), new StringContent("{\"Pod\":[", Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        }

        using var good = await Client.PostAsync(new Uri("/prioritize", UriKind.Relative), new StringContent(TestNodes.Args(TestNodes.Pod(), names: ["fr-1"]), Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, good.StatusCode);
    }
}
