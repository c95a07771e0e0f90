using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.DependencyInjection;
using Prometheus;
using Scheduler.Extender.Endpoints;
using Scheduler.Extender.RateLimiting;
using Scheduler.Extender.Telemetry;

namespace Scheduler.Extender.Hosting;

/// <summary>Builds the extender web application: the same for <c>Program</c>, tests and benchmarks.</summary>
public static class ExtenderApp
{
    /// <summary>The default HTTP address when none is configured.</summary>
    public const string DefaultUrl = "http://0.0.0.0:8090";

    /// <summary>Builds the application from command-line arguments (and the usual configuration sources).</summary>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        // The content root is the application's folder, so appsettings.json is found whatever the
        // working directory the process was started from.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        if (string.IsNullOrEmpty(builder.Configuration["Kestrel:Endpoints:Http:Url"]))
        {
            var urls = builder.Configuration["urls"];
            HttpsListener.Configure(builder, string.IsNullOrEmpty(urls) ? DefaultUrl : urls);
        }

        builder.Services.AddCarbonScheduler(builder.Configuration);
        var clientCertificates = !string.IsNullOrWhiteSpace(builder.Configuration[$"{TlsOptions.SectionName}:{nameof(TlsOptions.ClientCaFile)}"]);
        if (clientCertificates)
        {
            builder.Services.AddSingleton<ClientCertificateAuthorities>();
        }

        configure?.Invoke(builder);

        var app = builder.Build();
        if (!string.IsNullOrWhiteSpace(builder.Configuration[$"{TlsOptions.SectionName}:{nameof(TlsOptions.CertificateFile)}"]))
        {
            app.UseMiddleware<PlainHttpGate>();
        }

        if (clientCertificates)
        {
            app.UseMiddleware<ClientCertificateGate>();
        }

        // After the certificate gate, so that refused callers spend no one's budget; only endpoints with a policy are limited.
        app.UseRateLimiter();

        // The deferral metrics listen to the controller's decisions, so they exist from the start (when the controller runs).
        _ = app.Services.GetService<DeferralMetrics>();

        // The scheduler's gauges (node cache, zones' intensity and origin, Kepler readings) are read at each scrape by
        // a callback SchedulerMetrics registers: created once the host has started, not by the first extender request,
        // so that a replica that has not been asked anything yet (a standby, or one the scheduler cannot reach) still
        // reports its state; and not here, where resolving it would validate the settings it depends on before
        // StartupSettings reports every bad setting at once.
        app.Lifetime.ApplicationStarted.Register(() => app.Services.GetRequiredService<SchedulerMetrics>());
        app.MapExtender();
        app.MapIntensityStatus();
        app.MapAdmission();
        app.MapReports();
        app.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/readyz", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") });
        app.MapMetrics("/metrics", app.Services.GetRequiredService<CollectorRegistry>());
        return app;
    }
}
