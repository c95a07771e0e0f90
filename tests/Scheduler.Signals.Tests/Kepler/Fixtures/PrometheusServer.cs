using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace Scheduler.Signals.Tests.Kepler.Fixtures;

/// <summary>
/// A real Prometheus (the installed binary) on 127.0.0.1 and a free port, with its own configuration and TSDB in a
/// temporary directory, scraping the given targets. Every instance is independent, so test classes running in
/// parallel may each start their own.
/// </summary>
public sealed class PrometheusServer : IAsyncDisposable
{
    /// <summary>The message of the exception thrown when the binaries are missing.</summary>
    public const string MissingBinaryMessage = "Prometheus is required for these tests: apt-get install prometheus";

    private const int MaxOutputLines = 200;
    private const int StartAttempts = 3;

    private readonly Queue<string> _output;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private readonly string _binary;
    private readonly string[] _arguments;
    private Process _process;

    private PrometheusServer(Process process, Queue<string> output, string url, string directory, string binary, string[] arguments)
    {
        _process = process;
        _output = output;
        Url = url;
        WorkingDirectory = directory;
        _binary = binary;
        _arguments = arguments;
    }

    /// <summary>The base URL, e.g. <c>http://127.0.0.1:41234</c> (no trailing slash).</summary>
    public string Url { get; }

    /// <summary>The temporary directory holding <c>prometheus.yml</c> and the TSDB (<c>data/</c>); deleted on disposal.</summary>
    public string WorkingDirectory { get; }

    /// <summary>The last lines Prometheus wrote to stdout and stderr.</summary>
    public string Output => Snapshot(_output);

    /// <summary>
    /// Imports the options' history (if any) with promtool, starts Prometheus and returns once <c>/-/ready</c> answers 200.
    /// </summary>
    /// <exception cref="InvalidOperationException">A binary is missing, promtool rejected the history, or Prometheus did not become ready; the message carries their output.</exception>
    public static async Task<PrometheusServer> StartAsync(PrometheusServerOptions options, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.ScrapeInterval <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.ScrapeInterval, "The scrape interval must be positive.");
        }

        var prometheus = FindBinary("PROMETHEUS_BIN", "prometheus");
        var directory = Directory.CreateTempSubdirectory("prometheus-fixture-").FullName;
        try
        {
            var data = Path.Combine(directory, "data");
            Directory.CreateDirectory(data);
            var config = Path.Combine(directory, "prometheus.yml");
            await File.WriteAllTextAsync(config, Configuration(options), ct);
            await BackfillAsync(options, directory, data, ct);

            // The port is free when read but may be taken before Prometheus binds it (other fixtures start in
            // parallel), so a start that fails on the address is retried on a new port.
            for (var attempt = 1; ; attempt++)
            {
                var port = FreeLoopbackPort();
                var url = string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}");
                var output = new Queue<string>();
                string[] arguments =
                [
                    $"--config.file={config}",
                    $"--storage.tsdb.path={data}",
                    string.Create(CultureInfo.InvariantCulture, $"--web.listen-address=127.0.0.1:{port}"),
                    "--storage.tsdb.retention.time=60d",
                    "--log.level=warn",
                    "--web.enable-admin-api",
                ];
                var process = Launch(prometheus, output, arguments);
                var server = new PrometheusServer(process, output, url, directory, prometheus, arguments);
                try
                {
                    await server.WaitUntilReadyAsync(options.StartTimeout, ct);
                    return server;
                }
                catch (InvalidOperationException) when (attempt < StartAttempts && process.HasExited && server.Output.Contains("address already in use", StringComparison.Ordinal))
                {
                    await server.ShutDownAsync();
                }
                catch
                {
                    await server.ShutDownAsync();
                    throw;
                }
            }
        }
        catch
        {
            DeleteDirectory(directory);
            throw;
        }
    }

    /// <summary>
    /// Polls the instant query <paramref name="promql"/> until the value of its first sample (or its scalar)
    /// satisfies <paramref name="until"/>, e.g. <c>count_over_time(up{job="kepler"}[1h])</c> with <c>v =&gt; v &gt;= 5</c>.
    /// </summary>
    /// <exception cref="TimeoutException">The condition did not hold within <paramref name="timeout"/>; the message carries the last answer.</exception>
    public async Task WaitForAsync(string promql, Func<double, bool> until, TimeSpan timeout, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(until);
        var deadline = Stopwatch.StartNew();
        var lastAnswer = "(no answer yet)";
        while (true)
        {
            try
            {
                lastAnswer = await _http.GetStringAsync(new Uri($"{Url}/api/v1/query?query={Uri.EscapeDataString(promql)}"), ct);
                if (FirstValue(lastAnswer) is { } value && until(value))
                {
                    return;
                }
            }
            catch (HttpRequestException e)
            {
                lastAnswer = e.Message;
            }

            if (deadline.Elapsed >= timeout)
            {
                throw new TimeoutException($"'{promql}' did not reach the expected value within {timeout}. Last answer: {lastAnswer}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200), ct);
        }
    }

    /// <summary>Whether the Prometheus process is running (false after <see cref="StopAsync"/>).</summary>
    public bool IsRunning => !_process.HasExited;

    /// <summary>Kills Prometheus, as a crashed or evicted pod stops; its data stays for <see cref="StartAgainAsync"/>.</summary>
    public async Task StopAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await _process.WaitForExitAsync(timeout.Token);
    }

    /// <summary>Starts the stopped Prometheus again on the same address and data, and returns once <c>/-/ready</c> answers 200.</summary>
    /// <exception cref="InvalidOperationException">It did not become ready; the message carries its output.</exception>
    public async Task StartAgainAsync(TimeSpan timeout, CancellationToken ct = default)
    {
        if (!_process.HasExited)
        {
            return;
        }

        _process.Dispose();
        _process = Launch(_binary, _output, _arguments);
        await WaitUntilReadyAsync(timeout, ct);
    }

    /// <summary>Stops Prometheus (with any child processes) and deletes its directory.</summary>
    public async ValueTask DisposeAsync()
    {
        await ShutDownAsync();
        DeleteDirectory(WorkingDirectory);
    }

    /// <summary>The binary named by <paramref name="variable"/>, else in <c>/usr/bin</c>, else on PATH.</summary>
    internal static string FindBinary(string variable, string name)
    {
        var configured = Environment.GetEnvironmentVariable(variable);
        if (!string.IsNullOrEmpty(configured))
        {
            return File.Exists(configured) ? configured : throw new InvalidOperationException(MissingBinaryMessage);
        }

        var candidates = new[] { Path.Combine("/usr/bin", name) }
            .Concat((Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
                .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
                .Select(dir => Path.Combine(dir, name)));
        return candidates.FirstOrDefault(File.Exists) ?? throw new InvalidOperationException(MissingBinaryMessage);
    }

    private static string Configuration(PrometheusServerOptions options)
    {
        // Prometheus reads durations such as "1500ms"; YAML accepts JSON-quoted strings, which escapes any job name or path.
        var interval = string.Create(CultureInfo.InvariantCulture, $"{Math.Max(1, (long)options.ScrapeInterval.TotalMilliseconds)}ms");
        var yaml = new StringBuilder();
        yaml.Append("global:\n")
            .Append(CultureInfo.InvariantCulture, $"  scrape_interval: {interval}\n")
            .Append(CultureInfo.InvariantCulture, $"  scrape_timeout: {interval}\n")
            .Append(CultureInfo.InvariantCulture, $"  evaluation_interval: {interval}\n")
            .Append("scrape_configs:\n");
        if (options.Targets.Count == 0)
        {
            yaml.Append("  []\n");
        }

        foreach (var job in options.Targets.GroupBy(t => t.Job, StringComparer.Ordinal))
        {
            var first = job.First();
            if (job.Any(t => t.HonorLabels != first.HonorLabels || t.MetricsPath != first.MetricsPath))
            {
                throw new ArgumentException($"The targets of job '{job.Key}' differ in honor_labels or metrics path; give them different jobs.", nameof(options));
            }

            yaml.Append(CultureInfo.InvariantCulture, $"  - job_name: {JsonSerializer.Serialize(job.Key)}\n")
                .Append(CultureInfo.InvariantCulture, $"    honor_labels: {(first.HonorLabels ? "true" : "false")}\n")
                .Append(CultureInfo.InvariantCulture, $"    metrics_path: {JsonSerializer.Serialize(first.MetricsPath)}\n")
                .Append("    static_configs:\n")
                .Append(CultureInfo.InvariantCulture, $"      - targets: [{string.Join(", ", job.Select(t => JsonSerializer.Serialize(t.HostPort)))}]\n");
        }

        return yaml.ToString();
    }

    private static async Task BackfillAsync(PrometheusServerOptions options, string directory, string data, CancellationToken ct)
    {
        var files = new List<string>();
        if (options.BackfillOpenMetrics is not null)
        {
            var file = Path.Combine(directory, "backfill.om");
            await File.WriteAllTextAsync(file, options.BackfillOpenMetrics, ct);
            files.Add(file);
        }

        if (options.BackfillFile is not null)
        {
            files.Add(options.BackfillFile);
        }

        if (files.Count == 0)
        {
            return;
        }

        var promtool = FindBinary("PROMTOOL_BIN", "promtool");
        var maxBlock = string.Create(CultureInfo.InvariantCulture, $"{Math.Max(2, (long)options.BackfillMaxBlockDuration.TotalHours)}h");
        foreach (var file in files)
        {
            var output = new Queue<string>();

            // --max-block-duration is hidden in promtool's help but present in 2.42; below 2h it is ignored.
            using var process = Launch(promtool, output, "tsdb", "create-blocks-from", "openmetrics", "--quiet", $"--max-block-duration={maxBlock}", file, data);
            try
            {
                await process.WaitForExitAsync(ct);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw;
            }

            // The asynchronous output readers may still be draining after the exit; this waits for them.
            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"promtool could not import {file} (exit code {process.ExitCode}):\n{Snapshot(output)}");
            }
        }
    }

    private static Process Launch(string fileName, Queue<string> output, params string[] arguments)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var process = new Process { StartInfo = start };
        DataReceivedEventHandler collect = (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }

            lock (output)
            {
                output.Enqueue(e.Data);
                while (output.Count > MaxOutputLines)
                {
                    output.Dequeue();
                }
            }
        };
        process.OutputDataReceived += collect;
        process.ErrorDataReceived += collect;
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            process.Dispose();
            throw new InvalidOperationException($"{MissingBinaryMessage} ({fileName}: {e.Message})", e);
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static string Snapshot(Queue<string> output)
    {
        lock (output)
        {
            return string.Join('\n', output);
        }
    }

    private static int FreeLoopbackPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        finally
        {
            listener.Stop();
        }
    }

    private static double? FirstValue(string answer)
    {
        using var json = JsonDocument.Parse(answer);
        if (!json.RootElement.TryGetProperty("data", out var data))
        {
            return null;
        }

        var result = data.GetProperty("result");
        var value = data.GetProperty("resultType").GetString() switch
        {
            "vector" when result.GetArrayLength() > 0 => result[0].GetProperty("value"),
            "scalar" => result,
            _ => default,
        };
        return value.ValueKind == JsonValueKind.Array
            ? double.Parse(value[1].GetString()!, NumberStyles.Float, CultureInfo.InvariantCulture)
            : null;
    }

    private static void DeleteDirectory(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open by a dying process; the temporary directory is cleaned up eventually.
        }
        catch (UnauthorizedAccessException)
        {
            // As above.
        }
    }

    private async Task WaitUntilReadyAsync(TimeSpan timeout, CancellationToken ct)
    {
        var deadline = Stopwatch.StartNew();
        var lastAnswer = "(no answer yet)";
        while (true)
        {
            if (_process.HasExited)
            {
                // Let the output readers drain so the message shows why it stopped.
                _process.WaitForExit();
                throw new InvalidOperationException($"Prometheus exited with code {_process.ExitCode} before it was ready:\n{Output}");
            }

            try
            {
                using var response = await _http.GetAsync(new Uri($"{Url}/-/ready"), ct);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }

                lastAnswer = $"HTTP {(int)response.StatusCode}";
            }
            catch (HttpRequestException e)
            {
                lastAnswer = e.Message;
            }
            catch (TaskCanceledException e) when (!ct.IsCancellationRequested)
            {
                lastAnswer = e.Message;
            }

            if (deadline.Elapsed >= timeout)
            {
                throw new InvalidOperationException($"Prometheus was not ready at {Url}/-/ready within {timeout} (last answer: {lastAnswer}):\n{Output}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), ct);
        }
    }

    private async Task ShutDownAsync()
    {
        _http.Dispose();
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (InvalidOperationException)
        {
            // The process was never started or is already gone.
        }
        catch (OperationCanceledException)
        {
            // It did not exit in time after SIGKILL; nothing more can be done from here.
        }
        finally
        {
            _process.Dispose();
        }
    }
}
