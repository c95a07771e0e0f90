using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;
using Scheduler.Tests.Shared;

namespace Scheduler.Deferral.Tests.Support;

/// <summary>
/// The real service in a child process, started as it is deployed (<c>dotnet Scheduler.Extender.dll</c> from its
/// build output, configured by environment variables), that a test can kill without warning. Everything it writes
/// is kept, in memory and in a log file, so a failing test can show what each process did.
/// </summary>
internal sealed partial class ServiceProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly StreamWriter _log;
    private readonly Lock _logGate = new();
    private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private string? _identity;
    private long _ledAtTicks;

    private ServiceProcess(string name, Process process, StreamWriter log)
    {
        Name = name;
        _process = process;
        _log = log;
    }

    /// <summary>The service's build output of the configuration this project was built in.</summary>
    public static string DllPath
    {
        get
        {
            var configuration = typeof(ServiceProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
                .Single(a => a.Key == "Configuration").Value!;
            return RepositoryPaths.InRepository("src", "Scheduler.Extender", "bin", configuration, "net10.0", "Scheduler.Extender.dll");
        }
    }

    /// <summary>The name the test gave this process, e.g. <c>a</c>.</summary>
    public string Name { get; }

    /// <summary>The HTTP address it listens on.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>When it was started.</summary>
    public DateTimeOffset StartedAt { get; private set; }

    /// <summary>The Lease holder identity it reported when it became the deferral controller's leader, or <c>null</c>.</summary>
    public string? LeaderIdentity => Volatile.Read(ref _identity);

    /// <summary>When it reported that it leads, or <c>null</c>.</summary>
    public DateTimeOffset? LedAt => Interlocked.Read(ref _ledAtTicks) is > 0 and var ticks ? new DateTimeOffset(ticks, TimeSpan.Zero) : null;

    /// <summary>Whether the process has ended.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>Starts the service with <paramref name="environment"/> and returns once it listens.</summary>
    public static async Task<ServiceProcess> StartAsync(string name, IReadOnlyDictionary<string, string> environment, string logFile)
    {
        var dll = DllPath;
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException($"The service {dll} does not exist; build the solution (or src/Scheduler.Extender) in this configuration first.", dll);
        }

        // From its own folder, as the container image runs it (appsettings.json and so the log levels are read there).
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { dll, "--urls", "http://127.0.0.1:0" })
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        // Plain, uncoloured, one-line log records, so that lines can be matched and read in a failure message.
        start.Environment["Logging__Console__FormatterName"] = "simple";
        start.Environment["Logging__Console__FormatterOptions__SingleLine"] = "true";
        start.Environment["Logging__Console__FormatterOptions__TimestampFormat"] = "HH:mm:ss.fff ";
        start.Environment["Logging__Console__FormatterOptions__UseUtcTimestamp"] = "true";
        start.Environment["Logging__Console__FormatterOptions__ColorBehavior"] = "Disabled";

        var log = new StreamWriter(logFile, append: true) { AutoFlush = true };
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var service = new ServiceProcess(name, process, log);
        process.OutputDataReceived += (_, e) => service.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => service.OnLine(e.Data);
        process.Exited += (_, _) => service._listening.TrySetException(
            new InvalidOperationException($"Service {name} exited with code {process.ExitCode} before listening:{Environment.NewLine}{service.Tail()}"));
        service.StartedAt = DateTimeOffset.UtcNow;
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            service.BaseAddress = await service._listening.Task.WaitAsync(StartTimeout);
        }
        catch (TimeoutException e)
        {
            await service.DisposeAsync();
            throw new InvalidOperationException($"Service {name} did not listen within {StartTimeout.TotalSeconds:0} s:{Environment.NewLine}{service.Tail()}", e);
        }
        catch
        {
            await service.DisposeAsync();
            throw;
        }

        return service;
    }

    /// <summary>Kills the process at once (no graceful shutdown: no Lease released, no Quartz shutdown), as a node failure does.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _process.WaitForExitAsync(timeout.Token);
        Write($"--- killed by the test at {DateTimeOffset.UtcNow:HH:mm:ss.fff}");
    }

    /// <summary>The lines written at <paramref name="levels"/> (<c>warn</c>, <c>fail</c>, <c>crit</c>); the errors, <c>fail</c> and <c>crit</c>, when none are given.</summary>
    public IReadOnlyList<string> Problems(params string[] levels) =>
        [.. _lines.Where(line => (levels.Length == 0 ? ["fail", "crit"] : levels).Any(level => line.Contains(level + ": ", StringComparison.Ordinal)))];

    /// <summary>The last <paramref name="count"/> lines, for failure messages.</summary>
    public string Tail(int count = 60) =>
        $"--- service {Name} (pid {ProcessId()}), last {count} lines:{Environment.NewLine}{string.Join(Environment.NewLine, _lines.TakeLast(count))}";

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        try
        {
            // Only the process this object started is ended, by its own handle.
            if (!_process.HasExited)
            {
                await KillAsync();
            }
        }
        catch (InvalidOperationException)
        {
            // Never started.
        }
        finally
        {
            _process.Dispose();
            lock (_logGate)
            {
                _log.Dispose();
            }
        }
    }

    private string ProcessId()
    {
        try
        {
            return _process.Id.ToString(CultureInfo.InvariantCulture);
        }
        catch (InvalidOperationException)
        {
            return "?";
        }
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        _lines.Enqueue(line);
        Write(line);
        if (ListeningOn().Match(line) is { Success: true } listening)
        {
            _listening.TrySetResult(new Uri(listening.Groups[1].Value));
        }

        if (Leads().Match(line) is { Success: true } leads)
        {
            Interlocked.CompareExchange(ref _ledAtTicks, DateTimeOffset.UtcNow.UtcTicks, 0);
            Volatile.Write(ref _identity, leads.Groups[1].Value);
        }
    }

    private void Write(string line)
    {
        lock (_logGate)
        {
            try
            {
                _log.WriteLine(line);
            }
            catch (ObjectDisposedException)
            {
                // Output still draining after disposal.
            }
        }
    }

    // Kestrel reports the port it bound for "--urls http://127.0.0.1:0".
    [GeneratedRegex(@"Now listening on: (http://127\.0\.0\.1:\d+)")]
    private static partial Regex ListeningOn();

    // DeferralHost's "{Identity} leads the deferral controller".
    [GeneratedRegex(@"(\S+) leads the deferral controller")]
    private static partial Regex Leads();
}
