namespace Scheduler.Extender.Tests.Fixtures;

/// <summary>One extender with the HTTPS listener (self-signed certificate) and deferral switched on, shared by a test class.</summary>
public sealed class AdmissionServerFixture : IAsyncLifetime
{
    private ExtenderServer? _server;
    private HttpClient? _https;

    public TestCertificate Certificate { get; } = TestCertificate.Create();

    public ExtenderServer Server => _server ?? throw new InvalidOperationException("The server has not started.");

    /// <summary>A client of the HTTPS listener that trusts only <see cref="Certificate"/>.</summary>
    public HttpClient Https => _https ?? throw new InvalidOperationException("The server has not started.");

    public async Task InitializeAsync()
    {
        _server = await ExtenderServer.StartAsync(null, [.. Certificate.Settings, "--Deferral:Enabled", "true"]);
        _https = Certificate.Client(_server.HttpsAddress ?? throw new InvalidOperationException("No HTTPS listener."));
    }

    public async Task DisposeAsync()
    {
        _https?.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        Certificate.Dispose();
    }
}
