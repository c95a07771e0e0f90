using Scheduler.Extender.Hosting;

await ExtenderApp.Build(args).RunAsync();

/// <summary>The extender service's entry point.</summary>
public partial class Program;
