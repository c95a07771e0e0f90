using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Scheduler.Extender.Hosting;

/// <summary>
/// Checks every settings class before the service starts, so that all bad settings are reported at once (the host's
/// own start-up validation stops at the first settings class that fails, and logs it with a stack trace).
/// </summary>
internal static class StartupSettings
{
    /// <summary>Registers <typeparamref name="TOptions"/> to be checked by <see cref="Problems"/>.</summary>
    public static IServiceCollection AddSettingsCheck<TOptions>(this IServiceCollection services)
        where TOptions : class =>
        services.AddSingleton(new SettingsCheck(typeof(TOptions), sp => sp.GetRequiredService<IOptions<TOptions>>().Value));

    /// <summary>Every problem with the settings, each naming its setting; empty when the service can start.</summary>
    public static IReadOnlyList<string> Problems(IServiceProvider services)
    {
        var problems = new List<string>();
        foreach (var check in services.GetServices<SettingsCheck>().DistinctBy(c => c.Type))
        {
            try
            {
                _ = check.Read(services);
            }
            catch (OptionsValidationException e)
            {
                problems.AddRange(e.Failures);
            }
            catch (Exception e) when (IsConfigurationFault(e))
            {
                problems.Add(e.Message);
            }
        }

        return problems;
    }

    /// <summary>
    /// Whether <paramref name="e"/> is a setting that cannot be read (a value of the wrong type, named by the binder)
    /// or a model file that cannot be loaded, rather than a fault of the service.
    /// </summary>
    public static bool IsConfigurationFault(Exception e) =>
        e is InvalidDataException
        || (e is InvalidOperationException && e.Message.StartsWith("Failed to convert configuration value", StringComparison.Ordinal));

    internal sealed record SettingsCheck(Type Type, Func<IServiceProvider, object> Read);
}
