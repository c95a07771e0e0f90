using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Scheduler.Extender.Tests.Fixtures;

namespace Scheduler.Extender.Tests.Endpoints;

/// <summary>Every POST endpoint refuses a body over <c>Extender:MaxRequestBytes</c> with 413 and a message, however it is sent.</summary>
public class RequestSizeTests
{
    public static TheoryData<string, bool, int> Oversized()
    {
        var data = new TheoryData<string, bool, int>();
        foreach (var path in new[] { "/filter", "/prioritize", "/mutate/jobs", "/mutate/pods" })
        {
            foreach (var chunked in new[] { false, true })
            {
                // Just over the limit, and far over it (the rest of the body is still being sent when the answer comes).
                data.Add(path, chunked, 8 * 1024);
                data.Add(path, chunked, 4 * 1024 * 1024);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Oversized))]
    public async Task Post_OversizedBody_Is413WithAJsonMessage(string path, bool chunked, int size)
    {
        await using var server = await ExtenderServer.StartAsync(null, "--Extender:MaxRequestBytes", "4096");
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(path, UriKind.Relative)) { Content = Body(size, chunked) };
        request.Headers.TransferEncodingChunked = chunked;

        using var response = await server.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var error = (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["Error"];
        Assert.Contains("4096 bytes (Extender:MaxRequestBytes)", error, StringComparison.Ordinal);

        // The service goes on answering.
        using var next = await server.Client.PostAsync(new Uri("/filter", UriKind.Relative), new StringContent(TestNodes.Args(TestNodes.Pod(), names: ["fr-1"]), Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
    }

    [Fact]
    public async Task Post_BodyOverKestrelsDefaultButUnderTheSetting_IsRead()
    {
        // Kestrel refuses bodies over 30,000,000 bytes unless told otherwise; Extender:MaxRequestBytes decides instead.
        await using var server = await ExtenderServer.StartAsync(null, "--Extender:MaxRequestBytes", "40000000");
        var nodes = Enumerable.Range(0, 450_000).Select(i => $"padding-node-name-{i:D8}-{new string('x', 40)}").ToList();
        var body = TestNodes.Args(TestNodes.Pod(), names: nodes);
        Assert.InRange(Encoding.UTF8.GetByteCount(body), 30_000_001, 40_000_000);

        using var response = await server.Client.PostAsync(new Uri("/filter", UriKind.Relative), new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static HttpContent Body(int size, bool chunked)
    {
        var bytes = Encoding.UTF8.GetBytes("{\"padding\":\"" + new string('x', size) + "\"}");
        HttpContent content = chunked ? new StreamContent(new MemoryStream(bytes)) : new ByteArrayContent(bytes);
        content.Headers.ContentType = new("application/json");
        return content;
    }
}
