using System.Collections.Frozen;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Scheduler.Signals.Tests.Kepler.Fixtures;

namespace Scheduler.Benchmarks.KeplerRefresh;

/// <summary>
/// A live Kepler 0.10+ exporter for every node of the fleet, each on its own loopback port, run in a child process.
/// </summary>
/// <remarks>
/// <para>
/// One port per node, because Kepler runs one exporter per node and the reader relies on it: the CPU inventory query
/// joins <c>kepler_node_cpu_info</c> (which has no <c>node_name</c>) to the node through the scrape target, and
/// Prometheus refuses that join ("many-to-many matching not allowed") when one target serves several nodes. One
/// Kestrel host listens on all the ports, rather than a host per node, to keep a thousand exporters cheap.
/// </para>
/// <para>
/// A child process, so that the exporters' work and memory (<see cref="SimulatedKepler"/> keeps the text of every
/// scrape it served) stay out of the benchmark's own figures.
/// </para>
/// </remarks>
internal sealed class KeplerExporterFarm : IDisposable
{
    /// <summary>The argument that runs the exporters instead of a benchmark.</summary>
    public const string Command = "kepler-exporters";

    private const string ReadyPrefix = "ports ";

    private readonly Process _process;

    private KeplerExporterFarm(Process process, IReadOnlyList<string> hostPorts)
    {
        _process = process;
        HostPorts = hostPorts;
    }

    /// <summary>Where each exporter listens, e.g. <c>127.0.0.1:41234</c>, one per node.</summary>
    public IReadOnlyList<string> HostPorts { get; }

    /// <summary>Starts the exporters of the fleet of <paramref name="nodes"/> nodes drawn from <paramref name="seed"/> in a child process.</summary>
    /// <exception cref="InvalidOperationException">The child process did not report its ports.</exception>
    public static async Task<KeplerExporterFarm> StartAsync(int nodes, int seed, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath ?? "dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };

        // Under `dotnet Scheduler.Benchmarks.dll` the host is dotnet itself and needs the assembly.
        if (Path.GetFileNameWithoutExtension(start.FileName) == "dotnet")
        {
            start.ArgumentList.Add(typeof(KeplerExporterFarm).Assembly.Location);
        }

        foreach (var argument in new[] { Command, nodes.ToString(CultureInfo.InvariantCulture), seed.ToString(CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("The exporter process did not start.");
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromMinutes(1));
            while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
            {
                if (line.StartsWith(ReadyPrefix, StringComparison.Ordinal))
                {
                    var ports = line[ReadyPrefix.Length..].Split(',', StringSplitOptions.RemoveEmptyEntries);
                    return new KeplerExporterFarm(process, ports.Select(p => $"127.0.0.1:{p}").ToArray());
                }
            }

            throw new InvalidOperationException($"The exporter process exited without reporting its ports (exit code {(process.HasExited ? process.ExitCode : -1)}).");
        }
        catch
        {
            Stop(process);
            process.Dispose();
            throw;
        }
    }

    /// <summary>Runs the exporters in this process until its standard input closes: the child's side of <see cref="StartAsync"/>.</summary>
    public static async Task<int> RunAsync(int nodes, int seed)
    {
        var simulations = KeplerFleet.Create(nodes, seed).Select(KeplerFleet.Simulate).ToArray();
        FrozenDictionary<int, SimulatedKepler> byPort = FrozenDictionary<int, SimulatedKepler>.Empty;

        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            for (var i = 0; i < simulations.Length; i++)
            {
                kestrel.Listen(IPAddress.Loopback, 0);
            }
        });
        await using var app = builder.Build();
        app.Run(context =>
        {
            if (context.Request.Path != "/metrics" || !byPort.TryGetValue(context.Connection.LocalPort, out var simulation))
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return Task.CompletedTask;
            }

            context.Response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
            return context.Response.WriteAsync(simulation.Scrape(), context.RequestAborted);
        });
        await app.StartAsync();

        // Which port serves which node does not matter: each series carries its node in node_name.
        var ports = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses
            .Select(a => new Uri(a).Port)
            .ToArray();
        byPort = ports.Zip(simulations).ToFrozenDictionary(p => p.First, p => p.Second);
        Console.Out.WriteLine(ReadyPrefix + string.Join(',', ports.Select(p => p.ToString(CultureInfo.InvariantCulture))));
        Console.Out.Flush();

        // The parent closes standard input (or ends this process) when it is done.
        await Console.In.ReadToEndAsync();
        await app.StopAsync();
        return 0;
    }

    /// <summary>Ends the exporters: Prometheus' scrapes fail from now on, so its newest samples stay those from before.</summary>
    public void Dispose()
    {
        Stop(_process);
        _process.Dispose();
    }

    private static void Stop(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill();
                process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }
}
