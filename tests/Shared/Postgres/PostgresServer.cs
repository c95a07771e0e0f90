using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Npgsql;

namespace Scheduler.Tests.Postgres;

/// <summary>
/// A real PostgreSQL server (the binaries installed on the machine) in a temporary directory, listening on
/// 127.0.0.1 and a free port, with trust authentication and its Unix socket inside that directory. Tests create a
/// fresh database each (<see cref="CreateDatabaseAsync"/>). The server can be stopped and started again on the same
/// port and data (<see cref="StopAsync"/>, <see cref="StartAsync(CancellationToken)"/>), to test reconnection.
/// PostgreSQL refuses to run as root, so as root it runs as the <c>postgres</c> user (through <c>runuser</c>).
/// Link this file (and <c>PostgresFixture</c>) into a test project that references Npgsql.
/// </summary>
public sealed partial class PostgresServer : IAsyncDisposable
{
    /// <summary>The start of the message thrown when the server binaries are missing.</summary>
    public const string MissingBinariesMessage = "PostgreSQL is required for these tests";

    /// <summary>The user PostgreSQL runs as when the tests run as root.</summary>
    public const string ServiceUser = "postgres";

    /// <summary>The loopback address the server listens on.</summary>
    public const string Host = "127.0.0.1";

    /// <summary>The database user (the superuser initdb creates); no password, trust authentication.</summary>
    public const string Username = "postgres";

    private const int StartAttempts = 3;
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(60);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly string? _runuser;
    private bool _running;
    private bool _disposed;

    private PostgresServer(string binDirectory, string directory, string? runuser)
    {
        BinDirectory = binDirectory;
        WorkingDirectory = directory;
        _runuser = runuser;
    }

    /// <summary>The TCP port, the same after a restart.</summary>
    public int Port { get; private set; }

    /// <summary>Where <c>initdb</c>, <c>pg_ctl</c> and <c>postgres</c> were found.</summary>
    public string BinDirectory { get; }

    /// <summary>The temporary directory: <c>data/</c>, the server log and the Unix socket. Deleted on disposal.</summary>
    public string WorkingDirectory { get; }

    /// <summary>The cluster's data directory.</summary>
    public string DataDirectory => Path.Combine(WorkingDirectory, "data");

    /// <summary>The server's log file.</summary>
    public string LogFile => Path.Combine(WorkingDirectory, "postgres.log");

    /// <summary><c>true</c> between a start and a stop.</summary>
    public bool IsRunning => Volatile.Read(ref _running);

    /// <summary>The last lines of the server log, for failure messages.</summary>
    public string LogTail
    {
        get
        {
            try
            {
                using var stream = new FileStream(LogFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                using var reader = new StreamReader(stream);
                var lines = reader.ReadToEnd().Split('\n');
                return string.Join('\n', lines.TakeLast(40));
            }
            catch (IOException)
            {
                return "(no server log)";
            }
        }
    }

    /// <summary>
    /// Finds the binaries, creates a cluster in a temporary directory (<c>initdb</c>, trust authentication), starts it
    /// and returns once it accepts connections.
    /// </summary>
    /// <exception cref="InvalidOperationException">
    /// PostgreSQL is not installed (the message names what is missing), or it did not start (the message carries its log).
    /// </exception>
    public static async Task<PostgresServer> CreateAsync(CancellationToken cancellationToken = default)
    {
        var binDirectory = FindBinDirectory();
        var runuser = RunsAsRoot() ? FindRunuser() : null;
        var directory = Directory.CreateTempSubdirectory("postgres-fixture-").FullName;
        if (!SafePath().IsMatch(directory))
        {
            // pg_ctl hands its -o options to a shell, so the socket directory must need no quoting.
            throw new InvalidOperationException($"The temporary directory {directory} has characters pg_ctl cannot pass on; set TMPDIR to a plain path.");
        }

        var server = new PostgresServer(binDirectory, directory, runuser);
        try
        {
            if (runuser is not null)
            {
                await server.RunAsync("chown", ["-R", $"{ServiceUser}:{ServiceUser}", directory], asServiceUser: false, cancellationToken);
            }

            await server.RunAsync(
                Path.Combine(binDirectory, "initdb"),
                ["-D", server.DataDirectory, "-U", Username, "--auth=trust", "--encoding=UTF8", "--no-locale", "--no-sync"],
                asServiceUser: true,
                cancellationToken);

            // The port is free when read but may be taken before PostgreSQL binds it (other fixtures start in
            // parallel), so a start that fails on the address is retried on a new port.
            for (var attempt = 1; ; attempt++)
            {
                server.Port = FreeLoopbackPort();
                File.Delete(server.LogFile);
                try
                {
                    await server.StartAsync(cancellationToken);
                    return server;
                }
                catch (InvalidOperationException) when (attempt < StartAttempts && server.LogTail.Contains("could not bind", StringComparison.Ordinal))
                {
                }
            }
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>A connection string for <paramref name="database"/> on this server.</summary>
    public string ConnectionString(string database = "postgres") => new NpgsqlConnectionStringBuilder
    {
        Host = Host,
        Port = Port,
        Username = Username,
        Database = database,
        Timeout = 15,
    }.ConnectionString;

    /// <summary>Creates an empty database with a unique name and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(CancellationToken cancellationToken = default)
    {
        var name = string.Create(CultureInfo.InvariantCulture, $"test_{Guid.NewGuid():N}");
        await AdminAsync($"CREATE DATABASE \"{name}\"", cancellationToken);
        return ConnectionString(name);
    }

    /// <summary>Drops the database of <paramref name="connectionString"/>, closing its open connections first.</summary>
    public async Task DropDatabaseAsync(string connectionString, CancellationToken cancellationToken = default)
    {
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database
            ?? throw new ArgumentException("The connection string names no database.", nameof(connectionString));
        await AdminAsync($"DROP DATABASE IF EXISTS \"{name.Replace("\"", "\"\"", StringComparison.Ordinal)}\" WITH (FORCE)", cancellationToken);
    }

    /// <summary>Starts the stopped server again, on the same port and data, and waits until it accepts connections.</summary>
    /// <exception cref="InvalidOperationException">It did not start; the message carries its log.</exception>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_running)
            {
                return;
            }

            var options = string.Join(' ', [
                "-c listen_addresses=127.0.0.1",
                string.Create(CultureInfo.InvariantCulture, $"-p {Port}"),
                $"-k {WorkingDirectory}",

                // The data is thrown away after the run: durability would only cost time on a 2-core CI machine.
                "-c fsync=off",
                "-c synchronous_commit=off",
                "-c full_page_writes=off",
                "-c max_connections=200",
            ]);
            await RunAsync(
                Path.Combine(BinDirectory, "pg_ctl"),
                ["start", "-D", DataDirectory, "-l", LogFile, "-w", "-t", "60", "-o", options],
                asServiceUser: true,
                cancellationToken);
            _running = true;
            await WaitUntilAcceptingAsync(cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Stops the server (fast shutdown: open sessions are ended), keeping its data for a later start.</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (!_running)
            {
                return;
            }

            await RunAsync(Path.Combine(BinDirectory, "pg_ctl"), ["stop", "-D", DataDirectory, "-m", "fast", "-w", "-t", "60"], asServiceUser: true, cancellationToken);
            _running = false;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Stops the server and starts it again.</summary>
    public async Task RestartAsync(CancellationToken cancellationToken = default)
    {
        await StopAsync(cancellationToken);
        await StartAsync(cancellationToken);
    }

    /// <summary>Stops the server at once and deletes its directory, and with it every database.</summary>
    public async ValueTask DisposeAsync()
    {
        await _gate.WaitAsync();
        try
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            if (_running)
            {
                try
                {
                    await RunAsync(Path.Combine(BinDirectory, "pg_ctl"), ["stop", "-D", DataDirectory, "-m", "immediate", "-w", "-t", "60"], asServiceUser: true, CancellationToken.None);
                }
                catch (InvalidOperationException e)
                {
                    await Console.Error.WriteLineAsync($"PostgresServer: could not stop the server in {WorkingDirectory}: {e.Message}");
                }

                _running = false;
            }

            try
            {
                Directory.Delete(WorkingDirectory, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                await Console.Error.WriteLineAsync($"PostgresServer: could not delete {WorkingDirectory}: {e.Message}");
            }
        }
        finally
        {
            _gate.Release();
        }

        _gate.Dispose();
    }

    /// <summary>
    /// The directory holding <c>initdb</c>, <c>pg_ctl</c> and <c>postgres</c>: <c>$POSTGRES_BINDIR</c>, else
    /// <c>pg_config --bindir</c>, else the newest <c>/usr/lib/postgresql/*/bin</c> (Debian), else PATH.
    /// </summary>
    /// <exception cref="InvalidOperationException">None has all three; the message names what is missing.</exception>
    internal static string FindBinDirectory()
    {
        string[] required = ["initdb", "pg_ctl", "postgres"];
        var candidates = new List<string>();
        var configured = Environment.GetEnvironmentVariable("POSTGRES_BINDIR");
        if (!string.IsNullOrEmpty(configured))
        {
            candidates.Add(configured);
        }

        if (PgConfigBinDirectory() is { } fromPgConfig)
        {
            candidates.Add(fromPgConfig);
        }

        if (Directory.Exists("/usr/lib/postgresql"))
        {
            candidates.AddRange(Directory.GetDirectories("/usr/lib/postgresql")
                .Select(version => (Version: int.TryParse(Path.GetFileName(version), NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : 0, Bin: Path.Combine(version, "bin")))
                .OrderByDescending(c => c.Version)
                .Select(c => c.Bin));
        }

        candidates.AddRange((Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries));

        foreach (var candidate in candidates)
        {
            if (required.All(name => File.Exists(Path.Combine(candidate, name))))
            {
                return candidate;
            }
        }

        var partial = candidates.FirstOrDefault(c => required.Any(name => File.Exists(Path.Combine(c, name))));
        var missing = partial is null
            ? string.Join(", ", required)
            : string.Join(", ", required.Where(name => !File.Exists(Path.Combine(partial, name)))) + $" (only part of them are in {partial})";
        throw new InvalidOperationException(
            $"{MissingBinariesMessage}: the server binaries {missing} were not found in $POSTGRES_BINDIR, `pg_config --bindir`, "
            + "/usr/lib/postgresql/*/bin or PATH. Install them with `apt-get install postgresql` (.ci/run does), "
            + "or point POSTGRES_BINDIR at the directory that has them.");
    }

    private static string? PgConfigBinDirectory()
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo("pg_config", "--bindir")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            });
            if (process is null)
            {
                return null;
            }

            var output = process.StandardOutput.ReadToEnd().Trim();
            process.WaitForExit();
            return process.ExitCode == 0 && Directory.Exists(output) ? output : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // No pg_config on PATH: the other places are searched.
            return null;
        }
    }

    private static bool RunsAsRoot() => OperatingSystem.IsLinux() && string.Equals(Environment.UserName, "root", StringComparison.Ordinal);

    private static string FindRunuser()
    {
        if (!File.ReadLines("/etc/passwd").Any(line => line.StartsWith(ServiceUser + ":", StringComparison.Ordinal)))
        {
            throw new InvalidOperationException(
                $"{MissingBinariesMessage}: the tests run as root, which PostgreSQL refuses, and there is no '{ServiceUser}' user to run it as. "
                + "`apt-get install postgresql` creates it.");
        }

        var candidates = new[] { "/usr/sbin/runuser", "/sbin/runuser", "/usr/bin/runuser", "/bin/runuser" };
        return candidates.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException(
                $"{MissingBinariesMessage}: the tests run as root, which PostgreSQL refuses, and runuser (util-linux) is missing to run it as '{ServiceUser}'.");
    }

    private async Task RunAsync(string fileName, IReadOnlyList<string> arguments, bool asServiceUser, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (asServiceUser && _runuser is not null)
        {
            start.FileName = _runuser;
            foreach (var argument in new[] { "-u", ServiceUser, "--", fileName })
            {
                start.ArgumentList.Add(argument);
            }
        }
        else
        {
            start.FileName = fileName;
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // Messages in English whatever the machine's locale, so that "could not bind" can be recognised.
        start.Environment["LC_ALL"] = "C";
        using var process = new Process { StartInfo = start };
        var output = new System.Collections.Concurrent.ConcurrentQueue<string>();
        process.OutputDataReceived += (_, e) => Collect(output, e.Data);
        process.ErrorDataReceived += (_, e) => Collect(output, e.Data);
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"{MissingBinariesMessage}: {fileName} cannot be started ({e.Message}).", e);
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(CommandTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"{Path.GetFileName(fileName)} {string.Join(' ', arguments)} did not finish within {CommandTimeout.TotalSeconds:F0} s:\n{string.Join('\n', output)}\n{LogTail}");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"{Path.GetFileName(fileName)} {string.Join(' ', arguments)} failed (exit code {process.ExitCode}):\n{string.Join('\n', output)}\nServer log:\n{LogTail}");
        }
    }

    private static void Collect(System.Collections.Concurrent.ConcurrentQueue<string> output, string? line)
    {
        if (line is null)
        {
            return;
        }

        output.Enqueue(line);
        while (output.Count > 200 && output.TryDequeue(out _))
        {
        }
    }

    private async Task WaitUntilAcceptingAsync(CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                await using var connection = new NpgsqlConnection(ConnectionString() + ";Pooling=false");
                await connection.OpenAsync(cancellationToken);
                await using var command = new NpgsqlCommand("SELECT 1", connection);
                await command.ExecuteScalarAsync(cancellationToken);
                return;
            }
            catch (Exception e) when (e is NpgsqlException or IOException or SocketException)
            {
                if (deadline.Elapsed > ReadyTimeout)
                {
                    throw new InvalidOperationException($"PostgreSQL on port {Port} did not accept connections within {ReadyTimeout.TotalSeconds:F0} s: {e.Message}\n{LogTail}", e);
                }
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken);
        }
    }

    private async Task AdminAsync(string sql, CancellationToken cancellationToken)
    {
        // Unpooled, so that no idle admin session lingers to block DROP DATABASE or count against max_connections.
        await using var connection = new NpgsqlConnection(ConnectionString() + ";Pooling=false");
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
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

    [GeneratedRegex("^[A-Za-z0-9/._-]+$")]
    private static partial Regex SafePath();
}
