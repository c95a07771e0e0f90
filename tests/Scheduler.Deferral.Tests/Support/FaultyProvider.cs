using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http;
using Scheduler.Signals.Tests.Providers.Fakes;

namespace Scheduler.Deferral.Tests.Support;

/// <summary>How a carbon-intensity provider fails.</summary>
internal enum ProviderFault
{
    /// <summary>500 with a JSON error body, on every call.</summary>
    ServerError,

    /// <summary>429 with <c>Retry-After</c> (longer than the service waits within a refresh), on every call.</summary>
    RateLimited,

    /// <summary>200 with a body that is not the documented JSON (an HTML error page behind a proxy).</summary>
    Garbage,

    /// <summary>The connection is accepted and the request read, but no answer ever comes.</summary>
    Hanging,
}

/// <summary>
/// One zone's Electricity Maps API (the provider tests' fake, a real HTTP server answering in the documented v3
/// format) serving a forecast at the scenario's 10-second step, which a test makes fail as a provider does.
/// </summary>
internal sealed class FaultyProvider : IAsyncDisposable
{
    /// <summary>The token the fake accepts.</summary>
    public const string Token = "em-deferral-faults-token";

    /// <summary>The <c>Retry-After</c> of <see cref="ProviderFault.RateLimited"/>: ten minutes, beyond <c>Carbon__MaxRetryAfterSeconds</c>.</summary>
    public const int RetryAfterSeconds = 600;

    private readonly ElectricityMapsFakeServer _server;
    private int _faulted;

    private FaultyProvider(string zone, ElectricityMapsFakeServer server)
    {
        Zone = zone;
        _server = server;
    }

    /// <summary>The zone served.</summary>
    public string Zone { get; }

    /// <summary>The base URL, for <c>Carbon__Zones__Z__Url</c>.</summary>
    public string Url => _server.Url;

    /// <summary>The fault in force, or <c>null</c> while it answers.</summary>
    public ProviderFault? Fault { get; private set; }

    /// <summary>The requests that met the fault so far (counted as they arrive, so a hanging one counts too).</summary>
    public int FaultedRequests => Volatile.Read(ref _faulted);

    public static async Task<FaultyProvider> StartAsync(string zone) => new(zone, await ElectricityMapsFakeServer.StartAsync(Token));

    /// <summary>Serves <paramref name="intensity"/> at each 10-second step from a minute ago to 20 minutes ahead, issued now.</summary>
    public void SetForecast(Func<DateTimeOffset, double> intensity)
    {
        var points = new StringBuilder();
        var from = DeferralScenario.StepAtOrAfter(DateTimeOffset.UtcNow - TimeSpan.FromMinutes(1));
        for (var at = from; at < from + TimeSpan.FromMinutes(20); at += DeferralScenario.Step)
        {
            points.Append(points.Length == 0 ? string.Empty : ",")
                .Append(CultureInfo.InvariantCulture, $$"""{"carbonIntensity":{{intensity(at)}},"datetime":"{{Iso(at)}}"}""");
        }

        _server.Set(Zone, "forecast", $$"""{"zone":"{{Zone}}","forecast":[{{points}}],"updatedAt":"{{Iso(DateTimeOffset.UtcNow)}}"}""");
    }

    /// <summary>From now on, answers every request (forecast and actuals) with <paramref name="fault"/>.</summary>
    public void Fail(ProviderFault fault)
    {
        RequestDelegate answer = fault switch
        {
            ProviderFault.ServerError => LoopbackApp.Canned(500, """{"message":"Internal Server Error"}""", "application/json"),
            ProviderFault.RateLimited => LoopbackApp.Canned(429, """{"message":"Too many requests"}""", "application/json", ("Retry-After", RetryAfterSeconds.ToString(CultureInfo.InvariantCulture))),
            ProviderFault.Garbage => LoopbackApp.Canned(200, "<html><body><h1>502 Bad Gateway</h1></body></html>", "application/json"),
            ProviderFault.Hanging => context => Task.Delay(Timeout.InfiniteTimeSpan, context.RequestAborted),
            _ => throw new ArgumentOutOfRangeException(nameof(fault), fault, null),
        };
        Fault = fault;
        _server.RespondAlways(context =>
        {
            Interlocked.Increment(ref _faulted);
            return answer(context);
        });
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    private static string Iso(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
