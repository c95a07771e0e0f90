using System.Collections.Concurrent;
using System.Diagnostics;
using System.Reflection;
using System.Text.RegularExpressions;
using Scheduler.Tests.Shared;

namespace Scheduler.Extender.Tests.Fixtures;

/// <summary>
/// The service as it is deployed, <c>dotnet Scheduler.Extender.dll</c> from its build output in a child process,
/// configured by environment variables and arguments, with every line it writes to stdout and stderr kept.
/// </summary>
internal sealed partial class ExtenderProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ExtenderProcess(Process process) => _process = process;

    /// <summary>Everything written so far, stdout and stderr interleaved as they arrived.</summary>
    public IReadOnlyList<string> Lines => [.. _lines];

    public string Output => string.Join(Environment.NewLine, _lines);

    public int ExitCode => _process.ExitCode;

    /// <summary>Starts the service; it may fail to start, which <see cref="WaitForExitAsync"/> then sees.</summary>
    public static ExtenderProcess Start(IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var configuration = typeof(ExtenderProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "Configuration").Value!;
        var dll = RepositoryPaths.InRepository("src", "Scheduler.Extender", "bin", configuration, "net10.0", "Scheduler.Extender.dll");
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])[dll, "--urls", "http://127.0.0.1:0", .. arguments])
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        start.Environment["Logging__Console__FormatterName"] = "simple";
        start.Environment["Logging__Console__FormatterOptions__ColorBehavior"] = "Disabled";
        var process = new Process { StartInfo = start };
        var service = new ExtenderProcess(process);
        process.OutputDataReceived += (_, e) => service.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => service.OnLine(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return service;
    }

    /// <summary>The HTTP address, once the service listens.</summary>
    public async Task<Uri> ListeningAsync()
    {
        var exited = _process.WaitForExitAsync();
        var first = await Task.WhenAny(_listening.Task, exited).WaitAsync(TimeSpan.FromSeconds(90));
        return first == _listening.Task ? await _listening.Task : throw new InvalidOperationException($"The service exited with {_process.ExitCode}:{Environment.NewLine}{Output}");
    }

    /// <summary>Waits for the process to end by itself and returns its exit code.</summary>
    public async Task<int> WaitForExitAsync()
    {
        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(90));
        _process.WaitForExit(); // the end of the redirected streams
        return _process.ExitCode;
    }

    /// <summary>Waits until a line matches <paramref name="predicate"/>.</summary>
    public async Task<string> LineAsync(Func<string, bool> predicate, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_lines.FirstOrDefault(predicate) is { } line)
            {
                return line;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"No such line within {timeout.TotalSeconds:0} s:{Environment.NewLine}{Output}");
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            // Only the process this object started, by its own handle.
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
            }
        }
        catch (InvalidOperationException)
        {
            // Never started.
        }
        finally
        {
            _process.Dispose();
        }
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        _lines.Enqueue(line);
        if (ListeningOn().Match(line) is { Success: true } listening)
        {
            _listening.TrySetResult(new Uri(listening.Groups[1].Value));
        }
    }

    [GeneratedRegex(@"Now listening on: (http://\S+)")]
    private static partial Regex ListeningOn();
}
