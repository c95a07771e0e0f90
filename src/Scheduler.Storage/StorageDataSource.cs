using Npgsql;

namespace Scheduler.Storage;

/// <summary>Builds the <see cref="NpgsqlDataSource"/> (connection pool) for <see cref="StorageOptions"/>.</summary>
internal static class StorageDataSource
{
    /// <summary>
    /// A data source for the database of <paramref name="options"/>. With a <see cref="StorageOptions.PasswordFile"/>
    /// the file is read each time a new physical connection is opened, so a rotated Secret is picked up without a
    /// restart; it is also read once here, so that a missing or empty file is reported at once.
    /// </summary>
    /// <exception cref="InvalidOperationException">No database is configured, or its settings cannot be used.</exception>
    public static NpgsqlDataSource Create(StorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var connectionString = options.ResolveConnectionString()
            ?? throw new InvalidOperationException($"{StorageOptions.SectionName}:ConnectionString is not set: there is no database to connect to.");
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        if (!string.IsNullOrWhiteSpace(options.PasswordFile))
        {
            var path = options.PasswordFile;
            builder.ConnectionStringBuilder.Password = null;
            builder.UsePasswordProvider(
                _ => PasswordFileReader.Read(path),
                (_, _) => ValueTask.FromResult(PasswordFileReader.Read(path)));
        }

        return builder.Build();
    }
}
