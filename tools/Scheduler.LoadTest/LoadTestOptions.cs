using System.Globalization;
using System.Net;

namespace Scheduler.LoadTest;

/// <summary>
/// The command line. Every number has a bound so that a mistyped option cannot turn the tool into an
/// unbounded load: the run always ends by itself.
/// </summary>
internal sealed class LoadTestOptions
{
    private readonly Dictionary<string, string> _serverEnvironment = new(StringComparer.Ordinal);

    public const string Usage = """
        Usage:
          Scheduler.LoadTest generate [--nodes 1000] [--seed N] --out FILE
              Writes the synthetic cluster as a NodeList JSON file (for Nodes:InventoryFile) and prints its mix.

          Scheduler.LoadTest run [options]
              --duration S        measured seconds (default 60, 1..3600)
              --warmup S          unmeasured seconds first, same rate (default 10, 0..600)
              --rate N            requests per second, fixed (default 100, 1..5000)
              --concurrency N     most requests in flight (default 32, 1..512)
              --nodes N           candidate nodes per request (default 1000, 1..20000)
              --verb V            prioritize | filter | mixed | mutate (default mixed); mutate sends a Job's
                                  AdmissionReview to /mutate/jobs (add --server-env Deferral__Enabled=true to hold it)
              --full-nodes        send full Node objects instead of names (nodeCacheCapable: false)
              --server M          child | inprocess | external (default child)
              --url URL           the server of --server external; loopback only
              --server-dll PATH   the server of --server child, started in its own folder as in the
                                  container image (default src/Scheduler.Extender/bin/Release/net10.0/Scheduler.Extender.dll)
              --server-env K=V    an environment variable for the child server; repeatable
                                  (e.g. DOTNET_gcServer=0 as the Dockerfile sets)
              --sample S          seconds between memory samples from /metrics (default 10, 1..600)
              --seed N            the synthetic cluster's seed
              --report FILE       also write the Markdown report to FILE
        """;

    public string Command { get; private init; } = "run";

    public int DurationSeconds { get; private set; } = 60;

    public int WarmupSeconds { get; private set; } = 10;

    public int Rate { get; private set; } = 100;

    public int Concurrency { get; private set; } = 32;

    public int Nodes { get; private set; } = 1000;

    public LoadVerb Verb { get; private set; } = LoadVerb.Mixed;

    public bool FullNodes { get; private set; }

    public ServerMode Server { get; private set; } = ServerMode.Child;

    public Uri? Url { get; private set; }

    public string? ServerDll { get; private set; }

    public IReadOnlyDictionary<string, string> ServerEnvironment => _serverEnvironment;

    public int SampleSeconds { get; private set; } = 10;

    public int Seed { get; private set; } = Payloads.SyntheticCluster.DefaultSeed;

    public string? Report { get; private set; }

    public string? Out { get; private set; }

    /// <summary>Parses <paramref name="args"/>; throws <see cref="ArgumentException"/> with a message for the user.</summary>
    public static LoadTestOptions Parse(IReadOnlyList<string> args)
    {
        if (args.Count == 0 || args[0] is not ("run" or "generate"))
        {
            throw new ArgumentException("The first argument must be 'run' or 'generate'.");
        }

        var options = new LoadTestOptions { Command = args[0] };
        for (var i = 1; i < args.Count; i++)
        {
            var name = args[i];
            string Value() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{name} needs a value.");
            switch (name)
            {
                case "--duration": options.DurationSeconds = Int(name, Value(), 1, 3600); break;
                case "--warmup": options.WarmupSeconds = Int(name, Value(), 0, 600); break;
                case "--rate": options.Rate = Int(name, Value(), 1, 5000); break;
                case "--concurrency": options.Concurrency = Int(name, Value(), 1, 512); break;
                case "--nodes": options.Nodes = Int(name, Value(), 1, 20_000); break;
                case "--verb": options.Verb = Enum<LoadVerb>(name, Value()); break;
                case "--full-nodes": options.FullNodes = true; break;
                case "--server": options.Server = Enum<ServerMode>(name, Value()); break;
                case "--url": options.Url = LoopbackUrl(Value()); break;
                case "--server-dll": options.ServerDll = Value(); break;
                case "--server-env": options.AddServerEnvironment(Value()); break;
                case "--sample": options.SampleSeconds = Int(name, Value(), 1, 600); break;
                case "--seed": options.Seed = Int(name, Value(), 0, int.MaxValue); break;
                case "--report": options.Report = Value(); break;
                case "--out": options.Out = Value(); break;
                default: throw new ArgumentException($"Unknown option {name}.");
            }
        }

        if (options.Server == ServerMode.External && options.Url is null)
        {
            throw new ArgumentException("--server external needs --url.");
        }

        if (options.Command == "generate" && options.Out is null)
        {
            throw new ArgumentException("generate needs --out FILE.");
        }

        return options;
    }

    private void AddServerEnvironment(string text)
    {
        var equals = text.IndexOf('=', StringComparison.Ordinal);
        if (equals <= 0)
        {
            throw new ArgumentException($"--server-env must be NAME=VALUE; got '{text}'.");
        }

        _serverEnvironment[text[..equals]] = text[(equals + 1)..];
    }

    private static int Int(string name, string text, int min, int max) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw new ArgumentException($"{name} must be a whole number from {min} to {max}; got '{text}'.");

    private static T Enum<T>(string name, string text)
        where T : struct, Enum =>
        System.Enum.TryParse<T>(text, ignoreCase: true, out var value) && System.Enum.IsDefined(value)
            ? value
            : throw new ArgumentException($"{name} must be one of {string.Join(", ", System.Enum.GetNames<T>()).ToLowerInvariant()}; got '{text}'.");

    // The load must never leave the machine: only loopback targets are accepted.
    private static Uri LoopbackUrl(string text)
    {
        if (!Uri.TryCreate(text, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
        {
            throw new ArgumentException($"--url must be an absolute http(s) URL; got '{text}'.");
        }

        var loopback = url.IsLoopback || (IPAddress.TryParse(url.Host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));
        return loopback ? url : throw new ArgumentException($"--url must be a loopback address (127.0.0.0/8, [::1] or localhost); got '{url.Host}'.");
    }
}
