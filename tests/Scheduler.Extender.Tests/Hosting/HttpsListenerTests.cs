using Scheduler.Extender.Hosting;

namespace Scheduler.Extender.Tests.Hosting;

public class HttpsListenerTests
{
    [Theory]
    [InlineData("http://0.0.0.0:8090", 8443, "https://0.0.0.0:8443")]
    [InlineData("http://127.0.0.1:0", 0, "https://127.0.0.1:0")]
    [InlineData("http://+:8090", 8443, "https://+:8443")]
    [InlineData("http://*:8090", 9443, "https://*:9443")]
    [InlineData("http://[::]:8090;http://0.0.0.0:8090", 8443, "https://[::]:8443")]
    [InlineData("http://localhost:5000/", 8443, "https://localhost:8443")]
    [InlineData(" http://10.0.0.7:8090 ", 8443, "https://10.0.0.7:8443")]
    public void HttpsUrl_BindsWhereTheFirstHttpUrlDoes(string urls, int port, string expected) =>
        Assert.Equal(expected, HttpsListener.HttpsUrl(urls, port));
}
