using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Options;
using Scheduler.Extender.Hosting;

if (args is [HealthProbe.Verb, ..])
{
    return await HealthProbe.RunAsync(args.Length > 1 ? args[1] : null);
}

// A configuration or model error: say what to fix, every problem at once, without a stack trace, and exit with 2.
const int ConfigurationErrorExitCode = 2;
try
{
    var app = ExtenderApp.Build(args);
    var problems = StartupSettings.Problems(app.Services);
    if (problems.Count > 0)
    {
        await ReportAsync(problems);
        await app.DisposeAsync();
        return ConfigurationErrorExitCode;
    }

    await app.RunAsync();
    return 0;
}
catch (Exception e) when (ConfigurationProblems(e) is { Count: > 0 } problems)
{
    await ReportAsync(problems);
    return ConfigurationErrorExitCode;
}

static async Task ReportAsync(IReadOnlyList<string> problems)
{
    await Console.Error.WriteLineAsync(problems.Count == 1 ? "Configuration error:" : $"Configuration errors ({problems.Count}):");
    foreach (var problem in problems)
    {
        await Console.Error.WriteLineAsync($"  {problem}");
    }
}

// What a failed start says about the settings, or nothing when it is not a settings problem.
static IReadOnlyList<string> ConfigurationProblems(Exception e) => e switch
{
    OptionsValidationException validation => [.. validation.Failures],
    AggregateException many when many.InnerExceptions.All(inner => ConfigurationProblems(inner).Count > 0) =>
        [.. many.InnerExceptions.SelectMany(ConfigurationProblems)],
    _ when StartupSettings.IsConfigurationFault(e) => [e.Message],
    _ => [],
};

/// <summary>The extender service's entry point.</summary>
public partial class Program;
