using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Scheduler.LoadTest.Servers;

/// <summary>
/// The built server in a child process, started the way it is deployed (<c>dotnet Scheduler.Extender.dll</c>,
/// default configuration and logging), so that the memory read from its <c>/metrics</c> is its own.
/// </summary>
internal sealed partial class ChildProcessServer : IExtenderServer
{
    private const int TailLines = 40;

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _tail = new();
    private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _lines;

    private readonly IReadOnlyDictionary<string, string> _environment;

    private ChildProcessServer(Process process, IReadOnlyDictionary<string, string> environment)
    {
        _process = process;
        _environment = environment;
    }

    public Uri BaseAddress { get; private set; } = null!;

    public string Description
    {
        get
        {
            var environment = string.Concat(_environment.Select(e => $"{e.Key}={e.Value} "));
            return $"child process {_process.Id}: {environment}dotnet {Path.GetFileName(_process.StartInfo.ArgumentList[0])} (working directory: its own folder)";
        }
    }

    /// <summary>Lines the server has written to stdout and stderr (they are drained so that its logging never blocks).</summary>
    public long OutputLines => Interlocked.Read(ref _lines);

    public static async Task<ChildProcessServer> StartAsync(string dll, string inventoryFile, IReadOnlyDictionary<string, string> environment, CancellationToken cancellationToken)
    {
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException(
                $"The server {dll} does not exist. Build it with 'dotnet build -c Release src/Scheduler.Extender' or pass --server-dll.", dll);
        }

        // The container image runs the server from its own folder (WORKDIR /app), which is where
        // appsettings.json, and so the logging levels, are read from.
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(Path.GetFullPath(dll))!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { dll, "--urls", "http://127.0.0.1:0", "--Nodes:InventoryFile", inventoryFile })
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var server = new ChildProcessServer(process, environment);
        process.OutputDataReceived += (_, e) => server.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => server.OnLine(e.Data);
        process.Exited += (_, _) => server._listening.TrySetException(
            new InvalidOperationException($"The server exited with code {process.ExitCode} before listening. Its last lines:{Environment.NewLine}{server.Tail()}"));
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        try
        {
            server.BaseAddress = await server._listening.Task.WaitAsync(TimeSpan.FromSeconds(60), cancellationToken);
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }

        return server;
    }

    public string Tail() => string.Join(Environment.NewLine, _tail);

    public async ValueTask DisposeAsync()
    {
        // Only the process this object started is ended, by its own handle.
        if (!_process.HasExited)
        {
            _process.Kill();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await _process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                // It was killed; not waiting longer for the exit to be reported.
            }
        }

        _process.Dispose();
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        Interlocked.Increment(ref _lines);
        _tail.Enqueue(line);
        while (_tail.Count > TailLines)
        {
            _tail.TryDequeue(out _);
        }

        if (ListeningOn().Match(line) is { Success: true } match)
        {
            _listening.TrySetResult(new Uri(match.Groups[1].Value));
        }
    }

    // Kestrel reports the port it bound for "--urls http://127.0.0.1:0" through Microsoft.Hosting.Lifetime.
    [GeneratedRegex(@"Now listening on: (http://127\.0\.0\.1:\d+)")]
    private static partial Regex ListeningOn();
}
