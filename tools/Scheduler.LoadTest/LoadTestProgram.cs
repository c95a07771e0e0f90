using System.Net;
using Scheduler.LoadTest.Load;
using Scheduler.LoadTest.Memory;
using Scheduler.LoadTest.Payloads;
using Scheduler.LoadTest.Servers;

namespace Scheduler.LoadTest;

/// <summary>
/// Load generator for the extender: makes a synthetic cluster, starts (or targets) the server on
/// loopback, sends filter and prioritize requests at a fixed rate for a bounded time, and prints
/// latency percentiles and the server's memory trend as Markdown.
/// </summary>
internal static class LoadTestProgram
{
    // Startup, readiness and draining get this much on top of the requested run before the tool gives up.
    private static readonly TimeSpan Overhead = TimeSpan.FromMinutes(5);

    public static async Task<int> Main(string[] args)
    {
        LoadTestOptions options;
        try
        {
            options = LoadTestOptions.Parse(args);
        }
        catch (ArgumentException e)
        {
            await Console.Error.WriteLineAsync(e.Message);
            await Console.Error.WriteLineAsync(LoadTestOptions.Usage);
            return 2;
        }

        if (options.Command == "generate")
        {
            return await GenerateAsync(options);
        }

        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(options.WarmupSeconds + options.DurationSeconds) + Overhead);
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };
        return await RunAsync(options, cancel.Token);
    }

    private static async Task<int> GenerateAsync(LoadTestOptions options)
    {
        var cluster = SyntheticCluster.Create(options.Nodes, options.Seed);
        await File.WriteAllBytesAsync(options.Out!, cluster.NodeListJson());
        Console.WriteLine($"Wrote {options.Out}.");
        Console.WriteLine(cluster.Describe());
        return 0;
    }

    private static async Task<int> RunAsync(LoadTestOptions options, CancellationToken cancellationToken)
    {
        var cluster = SyntheticCluster.Create(options.Nodes, options.Seed);
        Console.WriteLine(cluster.Describe());
        Console.WriteLine();

        var folder = Directory.CreateTempSubdirectory("carbon-loadtest-");
        var inventory = Path.Combine(folder.FullName, "nodes.json");
        await File.WriteAllBytesAsync(inventory, cluster.NodeListJson(), cancellationToken);
        try
        {
            await using var server = await StartAsync(options, inventory, cancellationToken);
            Console.WriteLine($"Server: {server.Description} at {server.BaseAddress}");
            using var handler = new SocketsHttpHandler
            {
                MaxConnectionsPerServer = options.Concurrency,
                UseProxy = false,
                ConnectTimeout = TimeSpan.FromSeconds(5),
            };
            using var client = new HttpClient(handler, disposeHandler: false) { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };

            // Metrics are read on their own connection, so a saturated load cannot delay a sample.
            using var metricsClient = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
            await WaitReadyAsync(metricsClient, cancellationToken);

            var requests = Requests(cluster, options);
            var load = new FixedRateLoad(client, options.Rate, options.Concurrency);
            if (options.WarmupSeconds > 0)
            {
                Console.WriteLine($"Warming up for {options.WarmupSeconds} s...");
                await load.RunAsync(requests, options.WarmupSeconds, cancellationToken);
            }

            Console.WriteLine($"Measuring for {options.DurationSeconds} s at {options.Rate} req/s...");
            var sampler = new MemorySampler(metricsClient, TimeSpan.FromSeconds(options.SampleSeconds));
            using var stopSampling = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var sampling = sampler.RunAsync(stopSampling.Token);
            var run = await new FixedRateLoad(client, options.Rate, options.Concurrency).RunAsync(requests, options.DurationSeconds, cancellationToken);
            await stopSampling.CancelAsync();
            await sampling;
            await sampler.SampleAsync(cancellationToken);

            var report = MarkdownReport.Write(options, server.Description, requests, run, sampler.Samples);
            if (server is ChildProcessServer child)
            {
                // The server's own logging is part of its cost (e.g. one line per node a cap removes).
                report += $"{Environment.NewLine}The server wrote {child.OutputLines:N0} log lines to stdout/stderr since it started.{Environment.NewLine}";
            }

            Console.WriteLine();
            Console.WriteLine(report);
            if (options.Report is not null)
            {
                await File.WriteAllTextAsync(options.Report, report, cancellationToken);
            }

            return run.Results.All(r => r.Ok) ? 0 : 1;
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static async Task<IExtenderServer> StartAsync(LoadTestOptions options, string inventory, CancellationToken cancellationToken) =>
        options.Server switch
        {
            ServerMode.External => new ExternalServer(options.Url!),
            ServerMode.InProcess => await InProcessServer.StartAsync(inventory, cancellationToken),
            _ => await ChildProcessServer.StartAsync(options.ServerDll ?? DefaultServerDll(), inventory, options.ServerEnvironment, cancellationToken),
        };

    private static string DefaultServerDll()
    {
        // The repository root is the first parent holding the solution file.
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Scheduler.sln")))
            {
                return Path.Combine(directory.FullName, "src", "Scheduler.Extender", "bin", "Release", "net10.0", "Scheduler.Extender.dll");
            }
        }

        throw new FileNotFoundException("Scheduler.sln was not found above this tool; pass --server-dll.");
    }

    private static async Task WaitReadyAsync(HttpClient client, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            try
            {
                using var response = await client.GetAsync(new Uri("/readyz", UriKind.Relative), cancellationToken);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline)
            {
                // Not listening yet.
            }

            if (DateTime.UtcNow >= deadline)
            {
                throw new TimeoutException("The server did not report ready on /readyz within 60 s.");
            }

            await Task.Delay(200, cancellationToken);
        }
    }

    private static List<LoadRequest> Requests(SyntheticCluster cluster, LoadTestOptions options)
    {
        // Three pods in turn: an uncapped service, a capped batch job (filter removes nodes and
        // builds reasons), and a GPU job; kube-scheduler calls filter then prioritize for each.
        if (options.Verb == LoadVerb.Mutate)
        {
            return [new LoadRequest("mutate/jobs", AdmissionReviewPayload.TrainingJobCreate(), "train-resnet")];
        }

        var pods = new[] { PodShape.WebService, PodShape.CappedBatch, PodShape.GpuTraining };
        var verbs = options.Verb switch
        {
            LoadVerb.Prioritize => ["prioritize"],
            LoadVerb.Filter => ["filter"],
            _ => new[] { "filter", "prioritize" },
        };
        var requests = new List<LoadRequest>();
        foreach (var pod in pods)
        {
            var body = options.FullNodes ? cluster.ArgsWithNodes(pod, options.Nodes) : cluster.ArgsWithNames(pod, options.Nodes);
            foreach (var verb in verbs)
            {
                requests.Add(new LoadRequest(verb, body, pod.Name));
            }
        }

        return requests;
    }
}
