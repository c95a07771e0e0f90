using Microsoft.Extensions.DependencyInjection;
using Scheduler.Signals.Hardware;
using Scheduler.Signals.Models;
using Scheduler.Signals.Profiles;
using Scheduler.Signals.Regions;

namespace Scheduler.Extender.Hosting;

/// <summary>Loads every model before the start, so a missing <c>Models:Directory</c> or a bad model file is a configuration error.</summary>
internal static class ModelSettings
{
    /// <summary>Loads the models; <see cref="InvalidDataException"/> names the setting or the file.</summary>
    public static object Load(IServiceProvider services)
    {
        var files = services.GetRequiredService<ModelFiles>();
        if (files.Directory is not null && !Directory.Exists(files.Directory))
        {
            // Without this the built-in models would silently be replaced by none.
            throw new InvalidDataException($"Models:Directory '{files.Directory}' does not exist.");
        }

        try
        {
            _ = services.GetRequiredService<CarbonProfileCatalog>();
            _ = services.GetRequiredService<HardwarePowerCatalog>();
            return services.GetRequiredService<CloudRegionMap>();
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new InvalidDataException($"Models:Directory '{files.Directory}' lacks a model file: {e.Message}", e);
        }
    }
}
