using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Scheduler.Core.Accounting;
using Scheduler.Extender.Hosting;
using Scheduler.Extender.Telemetry;
using Scheduler.Reporting;
using Scheduler.Storage;
using Scheduler.Storage.Ledger;

namespace Scheduler.Extender.Ledger;

/// <summary>Registers the carbon ledger in the service: the store, its schema, the background writer, what records into it, and the reports.</summary>
internal static class CarbonLedgerServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="ILedger"/> (PostgreSQL with <c>Storage:ConnectionString</c>, else in memory; a ledger
    /// registered already, or later, wins), the schema migrations at start-up (<see cref="StorageStarter"/>), the
    /// <see cref="BufferedLedgerWriter"/> (also the deferral controller's <see cref="IJobLedger"/>), the
    /// <see cref="IJobEnergyMeter"/> of finished Jobs (<see cref="JobEnergyMeter"/>), the <see cref="IntensityRecorder"/>,
    /// the <see cref="ScoringSampler"/>, the <see cref="SavingsReportBuilder"/> of <c>GET /reports/savings</c>, and the
    /// savings metrics of the Jobs whose completion was written (<see cref="SavingsAccountant"/>).
    /// </summary>
    /// <remarks>
    /// The meter needs the node cache, the hardware models and the scorer of <c>AddCarbonScheduler</c>, and the Kepler
    /// reader when <c>Kepler:PrometheusUrl</c> is set.
    /// </remarks>
    public static IServiceCollection AddCarbonLedger(this IServiceCollection services, IConfiguration configuration)
    {
        // The deferral controller registers the storage settings too when it runs; they are validated once.
        if (!services.Any(d => d.ServiceType == typeof(IValidateOptions<StorageOptions>)))
        {
            services.AddOptions<StorageOptions>().Bind(configuration.GetSection(StorageOptions.SectionName)).ValidateOnStart();
            services.AddSingleton<IValidateOptions<StorageOptions>>(new SettingsValidator<StorageOptions>(o => o.Validate()));
            services.AddSettingsCheck<StorageOptions>();
        }

        services.AddOptions<LedgerOptions>().Bind(configuration.GetSection(LedgerOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<LedgerOptions>>(new SettingsValidator<LedgerOptions>(o => o.Validate()));
        services.AddSettingsCheck<LedgerOptions>();

        services.AddSingleton<StorageStarter>();
        services.AddHostedService(sp => sp.GetRequiredService<StorageStarter>());

        // Invalid storage settings stop the start with their own messages when options are validated; until then
        // the ledger is described from defaults rather than from settings that cannot be used.
        var storage = StorageOptions.FromConfiguration(configuration);
        services.AddLedger(storage.Validate().Count == 0 ? storage : new StorageOptions());
        services.AddSingleton(sp => new SavingsReportBuilder(sp.GetRequiredService<ILedger>(), sp.GetRequiredService<TimeProvider>()));

        services.AddSingleton<LedgerMetrics>();
        services.AddSingleton(sp =>
        {
            var ledger = sp.GetRequiredService<IOptions<LedgerOptions>>().Value;
            var schema = sp.GetRequiredService<StorageStarter>();
            return new BufferedLedgerWriter(
                sp.GetRequiredService<ILedger>(),
                schema.WaitAsync,
                ledger.QueueCapacity,
                TimeSpan.FromSeconds(sp.GetRequiredService<IOptions<StorageOptions>>().Value.RetryIntervalSeconds),
                TimeSpan.FromSeconds(ledger.ShutdownFlushSeconds),
                sp.GetRequiredService<LedgerMetrics>(),
                sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<ILogger<BufferedLedgerWriter>>());
        });
        services.AddHostedService(sp => sp.GetRequiredService<BufferedLedgerWriter>());
        services.AddSingleton<IJobLedger>(sp => sp.GetRequiredService<BufferedLedgerWriter>());
        services.AddSingleton<IJobEnergyMeter, JobEnergyMeter>();
        services.AddSingleton<IntensityRecorder>();
        services.AddHostedService(sp => sp.GetRequiredService<IntensityRecorder>());
        services.AddSingleton<ScoringSampler>();

        // After the writer: stopped before it, while the writer drains its queue.
        services.AddSingleton<SavingsMetrics>();
        services.AddSingleton<SavingsAccountant>();
        services.AddHostedService(sp => sp.GetRequiredService<SavingsAccountant>());
        return services;
    }
}
