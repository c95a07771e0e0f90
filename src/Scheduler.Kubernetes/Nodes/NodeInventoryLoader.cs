using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Scheduler.Kubernetes.Nodes;

/// <summary>
/// Fills the node cache from the inventory file at start and again whenever the file changes. A
/// broken edit is logged and the last good inventory kept.
/// </summary>
public sealed partial class NodeInventoryLoader(
    NodeCache cache,
    IOptions<NodesOptions> options,
    TimeProvider time,
    ILogger<NodeInventoryLoader> logger) : BackgroundService
{
    private DateTime _loadedWriteTime;

    /// <inheritdoc />
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        // An unreadable inventory at start is a configuration error: fail fast rather than serve neutral scores.
        Load(throwOnError: true);
        await base.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.InventoryPollSeconds), time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                if (File.GetLastWriteTimeUtc(Path) != _loadedWriteTime)
                {
                    Load(throwOnError: false);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutdown.
        }
    }

    private string Path => options.Value.InventoryFile!;

    private void Load(bool throwOnError)
    {
        var writeTime = File.GetLastWriteTimeUtc(Path);
        try
        {
            var nodes = NodeInventoryFile.Read(Path);
            cache.ReplaceAll(nodes);
            _loadedWriteTime = writeTime;
            LogLoaded(logger, nodes.Count, Path);
        }
        catch (Exception e) when (!throwOnError && e is InvalidDataException or IOException)
        {
            _loadedWriteTime = writeTime;
            LogLoadFailed(logger, e, Path);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Loaded {Count} nodes from the inventory file {Path}")]
    private static partial void LogLoaded(ILogger logger, int count, string path);

    [LoggerMessage(Level = LogLevel.Error, Message = "The inventory file {Path} could not be read; keeping the last good inventory")]
    private static partial void LogLoadFailed(ILogger logger, Exception exception, string path);
}
