using k8s;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Prometheus;
using Quartz;
using Scheduler.Core.Accounting;
using Scheduler.Core.Intensity;
using Scheduler.Core.Pods;
using Scheduler.Core.Scoring;
using Scheduler.Extender.Extending;
using Scheduler.Extender.Ledger;
using Scheduler.Extender.RateLimiting;
using Scheduler.Extender.Telemetry;
using Scheduler.Extender.Wire;
using Scheduler.Kubernetes;
using Scheduler.Kubernetes.Admission;
using Scheduler.Kubernetes.Deferral;
using Scheduler.Kubernetes.Nodes;
using Scheduler.Signals.Forecasting;
using Scheduler.Signals.Hardware;
using Scheduler.Signals.Intensity;
using Scheduler.Signals.Kepler;
using Scheduler.Signals.Models;
using Scheduler.Signals.Power;
using Scheduler.Signals.Profiles;
using Scheduler.Signals.Prometheus;
using Scheduler.Signals.Providers;
using Scheduler.Signals.Regions;
using Scheduler.Storage;
using Scheduler.Storage.Scheduling;

namespace Scheduler.Extender.Hosting;

/// <summary>Registers the scheduler's services.</summary>
internal static class SchedulerServiceCollectionExtensions
{
    public static IServiceCollection AddCarbonScheduler(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(TimeProvider.System);

        AddSettings<ScoringOptions>(services, configuration, ScoringOptions.SectionName, o => o.Validate());
        AddSettings<ExtenderOptions>(services, configuration, ExtenderOptions.SectionName, o => o.Validate());
        AddSettings<NodesOptions>(services, configuration, NodesOptions.SectionName, o => o.Validate());
        AddSettings<KubernetesOptions>(services, configuration, KubernetesOptions.SectionName, o => o.Validate());
        AddSettings<KeplerOptions>(services, configuration, KeplerOptions.SectionName, o => o.Validate());
        AddSettings<DeferralOptions>(services, configuration, DeferralOptions.SectionName, o => o.Validate());
        AddSettings<TlsOptions>(services, configuration, TlsOptions.SectionName, o => o.Validate());
        AddSettings<RateLimitsOptions>(services, configuration, RateLimitsOptions.SectionName, o => o.Validate());
        services.AddRequestLimits();
        services.AddOptions<CarbonOptions>().Bind(configuration.GetSection(CarbonOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<CarbonOptions>>(sp =>
            new SettingsValidator<CarbonOptions>(o => o.Validate(sp.GetRequiredService<CarbonProfileCatalog>().Zones)));
        services.AddSettingsCheck<CarbonOptions>();

        // Models: loaded once; a malformed model file stops the start with its name and the reason.
        services.AddSingleton(new ModelFiles(configuration["Models:Directory"]));
        services.AddSingleton(sp => CarbonProfileCatalog.Load(sp.GetRequiredService<ModelFiles>()));
        services.AddSingleton(sp => HardwarePowerCatalog.Load(sp.GetRequiredService<ModelFiles>()));
        services.AddSingleton(sp => CloudRegionMap.Load(sp.GetRequiredService<ModelFiles>()));
        services.AddSingleton(new StartupSettings.SettingsCheck(typeof(ModelFiles), ModelSettings.Load));

        // Carbon intensity: read by requests from the cache, refreshed in the background.
        services.AddSingleton<IntensityCache>();
        services.AddSingleton<IForecastLookup>(sp => sp.GetRequiredService<IntensityCache>());
        services.AddSingleton<ProfileIntensityProvider>();
        services.AddSingleton<ProviderPipelines>();
        services.AddSingleton<ProviderHttpClient>();
        services.AddSingleton<IZoneSources>(sp => new ConfiguredZoneSources(
            sp.GetRequiredService<IOptions<CarbonOptions>>(),
            sp.GetRequiredService<ProfileIntensityProvider>(),
            (zone, settings) => IntensityProviderFactory.Create(
                sp.GetRequiredService<ProviderHttpClient>().Client,
                sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<ProfileIntensityProvider>(),
                zone,
                settings)));
        services.AddSingleton(new HarmonicForecaster(new HarmonicForecastOptions()));
        services.AddSingleton<ForecastErrorTracker>();
        services.AddSingleton<IntensityService>();
        services.AddSingleton<IntensityRefresher>();
        services.AddHostedService(sp => sp.GetRequiredService<IntensityRefresher>());

        // Measured power: Kepler through Prometheus, read in the background into a catalog that
        // node descriptions consult; without a Prometheus URL the catalog stays empty and disabled.
        services.AddSingleton<MeasuredPowerCatalog>();
        services.AddSingleton<IMeasuredPower>(sp => sp.GetRequiredService<MeasuredPowerCatalog>());
        if (!string.IsNullOrWhiteSpace(configuration[$"{KeplerOptions.SectionName}:PrometheusUrl"]))
        {
            services.AddSingleton<PrometheusHttpClient>();
            services.AddSingleton(sp =>
            {
                var options = sp.GetRequiredService<IOptions<KeplerOptions>>();
                var prometheus = new PrometheusClient(
                    sp.GetRequiredService<PrometheusHttpClient>().Client,
                    new Uri(options.Value.PrometheusUrl!),
                    BearerTokenFile.Reader(options.Value.TokenFile));
                return new KeplerReader(prometheus, options, KeplerPipeline.Create(options.Value, sp.GetRequiredService<TimeProvider>()));
            });
            services.AddSingleton<PowerModelFitter>();
            services.AddSingleton<KeplerService>();
            services.AddHostedService<KeplerRefresher>();
        }

        // Domain logic.
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<ScoringOptions>>().Value);
        services.AddSingleton<NodeScorer>();
        services.AddSingleton<IntensityCapFilter>();
        services.AddSingleton<PodDemandReader>();

        // Admission webhook: decides from the review alone, so it needs no cluster access.
        services.AddSingleton<DeferralAdmissionPolicy>();
        services.AddSingleton<JobAdmission>();
        services.AddSingleton<PodAdmission>();

        // Nodes.
        services.AddSingleton<GridZoneResolver>();
        services.AddSingleton<NodeDescriber>();
        services.AddSingleton<NodeCache>();
        services.AddSingleton<INodeCache>(sp => sp.GetRequiredService<NodeCache>());
        var source = NodeSourceOf(configuration);
        services.AddSingleton(new NodeSource(source));
        switch (source)
        {
            case NodeSourceKind.Cluster:
                services.AddSingleton<IKubernetes>(sp => new k8s.Kubernetes(ClusterConfiguration(sp.GetRequiredService<IOptions<KubernetesOptions>>().Value)));
                services.AddHostedService<NodeWatcher>();
                if (DeferralWanted(configuration))
                {
                    AddDeferralController(services, configuration);
                }

                break;
            case NodeSourceKind.InventoryFile:
                services.AddHostedService<NodeInventoryLoader>();
                break;
            case NodeSourceKind.None:
            default:
                break;
        }

        services.AddSingleton(_ =>
        {
            var registry = Metrics.NewCustomRegistry();
            DotNetStats.Register(registry);
            return registry;
        });
        services.AddSingleton<SchedulerMetrics>();
        services.AddSingleton<AdmissionMetrics>();
        services.AddSingleton<ExtenderService>();
        services.AddSingleton(sp => new NodeFields(sp.GetRequiredService<ScoringOptions>().GpuResources));

        services.AddHealthChecks()
            .AddCheck<NodeCacheHealthCheck>("node-cache", tags: ["ready"])
            .AddCheck<IntensityHealthCheck>("intensity", tags: ["ready"])
            .AddCheck<KeplerHealthCheck>("kepler", tags: ["ready"]);

        // The carbon ledger, its schema and what records into it; after the controller, whose storage settings it shares.
        services.AddCarbonLedger(configuration);
        return services;
    }

    // The controller: Jobs (and bare Pods, with Deferral:Pods) watched by the leader, decided on by every
    // replica, woken by Quartz (PostgreSQL or in memory) and by in-process timers.
    private static void AddDeferralController(IServiceCollection services, IConfiguration configuration)
    {
        AddSettings<StorageOptions>(services, configuration, StorageOptions.SectionName, o => o.Validate());
        services.AddSingleton<PendingJobs>();
        services.AddSingleton<JobWatcher>();
        services.AddSingleton<PodWatcher>();
        services.AddSingleton<JobEvents>();
        services.AddSingleton<InProcessWakeUps>();
        services.AddSingleton<IWakeUps>(sp => sp.GetRequiredService<InProcessWakeUps>());
        // Quartz is written in the background: with the database down a Quartz call takes seconds, and the
        // decisions (releases due now among them) must not queue behind it.
        services.AddSingleton<IWakeUps>(sp => new BackgroundWakeUps(
            ActivatorUtilities.CreateInstance<QuartzWakeUps>(sp),
            TimeSpan.FromSeconds(sp.GetRequiredService<IOptions<StorageOptions>>().Value.RetryIntervalSeconds),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<Microsoft.Extensions.Logging.ILogger<BackgroundWakeUps>>()));
        // The controller records into the carbon ledger only through ports registered for it: GetService gives null
        // for one that is not, and the controller then records nothing (no IJobLedger) or completions without their
        // energy (no IJobEnergyMeter).
        services.AddSingleton(sp => new DeferralController(
            sp.GetRequiredService<IKubernetes>(),
            sp.GetRequiredService<INodeCache>(),
            sp.GetRequiredService<IForecastLookup>(),
            sp.GetRequiredService<JobEvents>(),
            sp.GetServices<IWakeUps>(),
            sp.GetRequiredService<JobWatcher>(),
            sp.GetRequiredService<IOptions<DeferralOptions>>(),
            sp.GetRequiredService<IOptions<ScoringOptions>>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<Microsoft.Extensions.Logging.ILogger<DeferralController>>(),
            sp.GetRequiredService<PodWatcher>(),
            ledger: sp.GetService<IJobLedger>(),
            meter: sp.GetService<IJobEnergyMeter>()));
        // Invalid storage settings stop the start with their own messages when options are validated;
        // until then Quartz is described from defaults rather than from settings that cannot be read.
        var storage = StorageOptions.FromConfiguration(configuration);
        services.AddQuartz(QuartzStoreSettings.ToProperties(storage.Validate().Count == 0 ? storage : new StorageOptions()));
        services.AddHostedService<DeferralStoreStarter>();
        // The host is a service of its own too: the metrics ask it whether this replica leads.
        services.AddSingleton<DeferralHost>();
        services.AddHostedService(sp => sp.GetRequiredService<DeferralHost>());
        services.AddSingleton<DeferralMetrics>();
    }

    // Holding Jobs, or recording what holding them would do.
    private static bool DeferralWanted(IConfiguration configuration)
    {
        var section = configuration.GetSection(DeferralOptions.SectionName);
        return Flag(section, nameof(DeferralOptions.Enabled))
            || Flag(section, nameof(DeferralOptions.DryRun))
            || section.GetSection(nameof(DeferralOptions.DryRunNamespaces)).GetChildren().Any();
    }

    private static NodeSourceKind NodeSourceOf(IConfiguration configuration)
    {
        if (Flag(configuration, $"{KubernetesOptions.SectionName}:Enabled"))
        {
            return NodeSourceKind.Cluster;
        }

        return string.IsNullOrWhiteSpace(configuration[$"{NodesOptions.SectionName}:InventoryFile"])
            ? NodeSourceKind.None
            : NodeSourceKind.InventoryFile;
    }

    // A switch read before the settings are bound; a value that is not a boolean counts as off here and is reported
    // with every other bad setting before the start.
    private static bool Flag(IConfiguration configuration, string key) =>
        bool.TryParse(configuration[key], out var value) && value;

    private static KubernetesClientConfiguration ClusterConfiguration(KubernetesOptions options) =>
        options.KubeConfigFile is not null
            ? KubernetesClientConfiguration.BuildConfigFromConfigFile(options.KubeConfigFile)
            : KubernetesClientConfiguration.IsInCluster()
                ? KubernetesClientConfiguration.InClusterConfig()
                : KubernetesClientConfiguration.BuildConfigFromConfigFile();

    private static void AddSettings<TOptions>(IServiceCollection services, IConfiguration configuration, string section, Func<TOptions, IReadOnlyList<string>> validate)
        where TOptions : class
    {
        services.AddOptions<TOptions>().Bind(configuration.GetSection(section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<TOptions>>(new SettingsValidator<TOptions>(validate));
        services.AddSettingsCheck<TOptions>();
    }
}
