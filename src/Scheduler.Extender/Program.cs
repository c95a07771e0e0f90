using Microsoft.Extensions.Options;
using Scheduler.Extender.Hosting;

if (args is [HealthProbe.Verb, ..])
{
    return await HealthProbe.RunAsync(args.Length > 1 ? args[1] : null);
}

try
{
    await ExtenderApp.Build(args).RunAsync();
    return 0;
}
catch (Exception e) when (e is OptionsValidationException or InvalidDataException)
{
    // A configuration or model error: say what to fix, without a stack trace.
    await Console.Error.WriteLineAsync($"Configuration error: {e.Message}");
    return 2;
}

/// <summary>The extender service's entry point.</summary>
public partial class Program;
