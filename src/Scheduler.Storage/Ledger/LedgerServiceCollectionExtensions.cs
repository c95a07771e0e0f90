using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Scheduler.Storage.Ledger;

/// <summary>Registers the carbon ledger.</summary>
public static class LedgerServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="ILedger"/> as a singleton: <see cref="PostgresLedger"/> when <paramref name="options"/> has a
    /// connection string, otherwise <see cref="InMemoryLedger"/> (the embedded default). A ledger already registered is
    /// kept (tests replace it this way).
    /// </summary>
    /// <remarks>
    /// The ledger is built when first resolved, so settings that cannot be used surface then (or, earlier and with a
    /// message per setting, from <see cref="StorageOptions.Validate"/> at start-up), never while registering. The
    /// PostgreSQL ledger needs the schema of migration <c>0002_ledger</c>: the host applies the migrations
    /// (<see cref="Migrations.MigrationRunner.ForOptions"/>) before it records anything. The container disposes
    /// the ledger, and with it its connection pool.
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> or <paramref name="options"/> is null.</exception>
    public static IServiceCollection AddLedger(this IServiceCollection services, StorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(options);
        if (options.UsesDatabase)
        {
            services.TryAddSingleton<ILedger>(_ => PostgresLedger.Create(options));
        }
        else
        {
            services.TryAddSingleton<ILedger, InMemoryLedger>();
        }

        return services;
    }
}
