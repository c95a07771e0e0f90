using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Http;
using Scheduler.Extender.Tests.Fixtures;
using Scheduler.Signals.Tests.Providers.Fakes;

namespace Scheduler.Extender.Tests.Hosting;

/// <summary>
/// The service as deployed, logging at Trace (HttpClient and Npgsql included), with every secret it reads set to a
/// recognisable value, driven down the paths that log failures: no secret appears in anything it writes.
/// </summary>
public sealed class SecretLoggingTests : IDisposable
{
    private const string ElectricityMapsToken = "SECRET-em-token-7f3a";
    private const string WattTimeUser = "carbon-user";
    private const string WattTimePassword = "SECRET-wt-password-91c2";
    private const string SdkToken = "SECRET-sdk-token-55b1";
    private const string PrometheusToken = "SECRET-prom-token-2d8e";
    private const string DatabasePasswordInEnvironment = "SECRET-pg-env-a1b2";
    private const string DatabasePasswordInFile = "SECRET-pg-file-c3d4";

    private static readonly string[] Secrets =
    [
        ElectricityMapsToken, WattTimePassword, SdkToken, PrometheusToken, DatabasePasswordInEnvironment, DatabasePasswordInFile,
        Convert.ToBase64String(Encoding.UTF8.GetBytes($"{WattTimeUser}:{WattTimePassword}")),
    ];

    private readonly string _directory = Directory.CreateTempSubdirectory("secrets-").FullName;

    [Theory]
    [InlineData(401)]
    [InlineData(403)]
    [InlineData(500)]
    public async Task Run_ProvidersAndDatabaseFailing_NeverWritesASecret(int status)
    {
        await using var echo = await LoopbackApp.StartAsync(context => EchoAsync(context, status));
        var environment = Settings(echo.Url, ClosedPort());
        environment["Storage__PasswordFile"] = SecretFile("pg-password", DatabasePasswordInFile);
        await using var service = ExtenderProcess.Start(environment);
        var address = await service.ListeningAsync();

        // Every provider has failed at least once, Prometheus too, and the database has been tried.
        foreach (var provider in new[] { "electricitymaps failed", "watttime failed", "carbonawaresdk failed", "Kepler refresh failed", "database schema could not be brought up to date" })
        {
            await service.LineAsync(line => line.Contains(provider, StringComparison.Ordinal), TimeSpan.FromSeconds(60));
        }

        // What the service says about them over HTTP too.
        using var client = new HttpClient { BaseAddress = address };
        var intensity = await client.GetStringAsync(new Uri("/intensity", UriKind.Relative));
        using var ready = await client.GetAsync(new Uri("/readyz", UriKind.Relative));
        using var report = await client.GetAsync(new Uri("/reports/savings?format=json", UriKind.Relative));
        var reportBody = await report.Content.ReadAsStringAsync();

        // Trace really is on: the log is not quiet by accident.
        Assert.Contains(service.Lines, line => line.StartsWith("trce:", StringComparison.Ordinal) || line.StartsWith("dbug:", StringComparison.Ordinal));
        AssertNoSecret(service.Output + intensity + reportBody);
    }

    [Fact]
    public async Task Start_FailingWithSecretsSet_NeverWritesASecret()
    {
        await using var echo = await LoopbackApp.StartAsync(context => EchoAsync(context, 401));
        var environment = Settings(echo.Url, ClosedPort());
        environment["Storage__PasswordFile"] = Path.Combine(_directory, "no-such-password");
        environment["Carbon__RefreshIntervalSeconds"] = "0";
        await using var service = ExtenderProcess.Start(environment);

        Assert.Equal(2, await service.WaitForExitAsync());
        Assert.Contains("Storage:PasswordFile", service.Output, StringComparison.Ordinal);
        AssertNoSecret(service.Output);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static void AssertNoSecret(string text)
    {
        foreach (var secret in Secrets)
        {
            var at = text.IndexOf(secret, StringComparison.Ordinal);
            Assert.True(at < 0, $"'{secret}' was written:{Environment.NewLine}{text[Math.Max(0, at - 500)..Math.Min(text.Length, at + 200)]}");
        }
    }

    // Answers every request with the status, echoing what was sent (headers, query, form) in the body and a header,
    // as misconfigured proxies and some APIs' error pages do.
    private static async Task EchoAsync(HttpContext context, int status)
    {
        var echoed = new StringBuilder();
        foreach (var (name, value) in context.Request.Headers)
        {
            echoed.Append(name).Append(": ").Append(value.ToString()).Append("; ");
        }

        echoed.Append("query: ").Append(context.Request.QueryString.Value);
        context.Response.StatusCode = status;
        context.Response.Headers["X-Echo-Authorization"] = context.Request.Headers.Authorization.ToString();
        context.Response.Headers["WWW-Authenticate"] = $"Bearer error=\"invalid_token\", token=\"{context.Request.Headers.Authorization}\"";
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync($$"""{"error":"refused","message":"{{echoed.ToString().Replace("\"", "'", StringComparison.Ordinal)}}"}""");
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    private Dictionary<string, string> Settings(string fakeUrl, int databasePort) => new()
    {
        ["Logging__LogLevel__Default"] = "Trace",
        ["Logging__LogLevel__Microsoft.AspNetCore"] = "Trace",
        ["Logging__LogLevel__System.Net.Http.HttpClient"] = "Trace",
        ["Logging__LogLevel__Npgsql"] = "Trace",
        ["Carbon__RefreshIntervalSeconds"] = "10",
        ["Carbon__MaxRetryAttempts"] = "1",
        ["Carbon__RetryBaseDelaySeconds"] = "1",
        ["Carbon__Zones__DE__Type"] = "ElectricityMaps",
        ["Carbon__Zones__DE__Url"] = fakeUrl,
        ["Carbon__Zones__DE__TokenFile"] = SecretFile("em-token", ElectricityMapsToken),
        ["Carbon__Zones__FR__Type"] = "WattTime",
        ["Carbon__Zones__FR__Url"] = fakeUrl,
        ["Carbon__Zones__FR__Region"] = "FR",
        ["Carbon__Zones__FR__Username"] = WattTimeUser,
        ["Carbon__Zones__FR__PasswordFile"] = SecretFile("wt-password", WattTimePassword),
        ["Carbon__Zones__GB__Type"] = "CarbonAwareSdk",
        ["Carbon__Zones__GB__Url"] = fakeUrl,
        ["Carbon__Zones__GB__Region"] = "uksouth",
        ["Carbon__Zones__GB__TokenFile"] = SecretFile("sdk-token", SdkToken),
        ["Kepler__PrometheusUrl"] = fakeUrl,
        ["Kepler__TokenFile"] = SecretFile("prom-token", PrometheusToken),
        ["Kepler__RefreshIntervalSeconds"] = "5",
        ["Storage__ConnectionString"] = $"Host=127.0.0.1;Port={databasePort};Database=carbon;Username=carbon;Password={DatabasePasswordInEnvironment};Timeout=2",
    };

    private string SecretFile(string name, string secret)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, secret + "\n");
        return path;
    }
}
