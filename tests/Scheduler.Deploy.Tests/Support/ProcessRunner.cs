using System.Diagnostics;

namespace Scheduler.Deploy.Tests.Support;

/// <summary>Runs a program to its end with a time limit, capturing what it writes.</summary>
internal static class ProcessRunner
{
    /// <summary>What a finished program returned and wrote.</summary>
    public sealed record Result(int ExitCode, string StandardOutput, string StandardError)
    {
        /// <summary>Both streams, for failure messages.</summary>
        public string Output => $"{StandardOutput}{StandardError}";
    }

    /// <summary>Runs <paramref name="program"/> with <paramref name="arguments"/> in <paramref name="workingDirectory"/>; killed after <paramref name="timeout"/> (default one minute).</summary>
    public static Result Run(string program, IEnumerable<string> arguments, string? workingDirectory = null, TimeSpan? timeout = null)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout ?? TimeSpan.FromMinutes(1)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', arguments)} did not finish in time.");
        }

        return new Result(process.ExitCode, output.GetAwaiter().GetResult(), error.GetAwaiter().GetResult());
    }

    /// <summary>The full path of <paramref name="program"/> on <c>PATH</c>, or null.</summary>
    public static string? Find(string program)
    {
        foreach (var folder in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(folder, program);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
