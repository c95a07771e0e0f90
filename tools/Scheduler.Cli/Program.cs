using Scheduler.Cli;
using Scheduler.Cli.Commands;

const string usage = "usage: carbon <command> [options]\n\ncommands:\n  " + SimulateCommand.Usage + "\n  " + EvaluateCommand.Usage + "\n  " + WindowCommand.Usage + "\n  " + ProfileCommand.Usage + "\n  " + ReportCommand.Usage;

if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
{
    Console.WriteLine(usage);
    return args.Length == 0 ? 2 : 0;
}

try
{
    return args[0] switch
    {
        "simulate" => SimulateCommand.Run(args[1..], Console.Out, Console.Error),
        "evaluate" => EvaluateCommand.Run(args[1..], Console.Out),
        "profile" => ProfileCommand.Run(args[1..], Console.Out),
        "window" => WindowCommand.Run(args[1..], Console.Out, TimeProvider.System),
        "report" => await ReportCommand.RunAsync(args[1..], Console.Out, Console.Error, TimeProvider.System),
        _ => throw new UsageException($"unknown command '{args[0]}'"),
    };
}
catch (UsageException e)
{
    await Console.Error.WriteLineAsync($"carbon: {e.Message}\n\n{usage}");
    return 2;
}
catch (Exception e) when (e is IOException or FormatException or UnauthorizedAccessException or Npgsql.NpgsqlException)
{
    await Console.Error.WriteLineAsync($"carbon: {e.Message}");
    return 1;
}
