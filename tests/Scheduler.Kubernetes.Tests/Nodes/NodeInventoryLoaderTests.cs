using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Scheduler.Kubernetes.Nodes;
using Scheduler.Kubernetes.Tests.Fakes;
using Scheduler.Kubernetes.Tests.Support;

namespace Scheduler.Kubernetes.Tests.Nodes;

public sealed class NodeInventoryLoaderTests : IAsyncLifetime, IDisposable
{
    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(30);
    private static readonly DateTime FirstWrite = new(2025, 3, 4, 9, 0, 0, DateTimeKind.Utc);

    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("node-inventory-");
    private readonly RecordingTimeProvider _time = new();
    private readonly ListLogger<NodeInventoryLoader> _logger = new();
    private readonly NodeCache _cache = new(TestNodes.CreateDescriber());
    private NodeInventoryLoader? _loader;

    private string InventoryPath => Path.Combine(_directory.FullName, "nodes.yaml");

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_loader is not null)
        {
            using var timeout = new CancellationTokenSource(Eventually.Timeout);
            await _loader.StopAsync(timeout.Token);
        }
    }

    public void Dispose()
    {
        _loader?.Dispose();
        _directory.Delete(recursive: true);
    }

    [Fact]
    public async Task StartAsync_ValidFile_FillsTheCacheBeforeReturning()
    {
        WriteInventory("nodelist.yaml", minutes: 0);

        await StartLoaderAsync();

        Assert.True(_cache.IsSynced);
        Assert.Equal(5, _cache.Count);
        Assert.Equal("DE", _cache.Find(TestNodes.AwsA100)?.Zone);
        Assert.Equal("SE-SE3", _cache.Find(TestNodes.OnPremises)?.Zone);
    }

    [Fact]
    public async Task StartAsync_BrokenFile_FailsNamingTheFile()
    {
        WriteInventory("nodes-malformed.yaml", minutes: 0);
        _loader = CreateLoader();

        var e = await Assert.ThrowsAsync<InvalidDataException>(() => _loader.StartAsync(CancellationToken.None));

        Assert.Contains(InventoryPath, e.Message, StringComparison.Ordinal);
        Assert.False(_cache.IsSynced);
        _loader = null;
    }

    [Fact]
    public async Task StartAsync_MissingFile_Fails()
    {
        _loader = CreateLoader();

        await Assert.ThrowsAsync<FileNotFoundException>(() => _loader.StartAsync(CancellationToken.None));

        Assert.False(_cache.IsSynced);
        _loader = null;
    }

    [Fact]
    public async Task ExecuteAsync_FileChanged_ReloadsAtTheNextPoll()
    {
        WriteInventory("kubectl-get-nodes.yaml", minutes: 0);
        await StartLoaderAsync();
        await WaitForPollTimerAsync();
        Assert.Equal(2, _cache.Count);

        WriteInventory("nodelist.json", minutes: 1);
        Assert.NotNull(_cache.Find("gpu-worker-01"));
        _time.Advance(Poll);

        await Eventually.UntilAsync(() => _cache.Count == 5, "the changed inventory is loaded");
        Assert.Null(_cache.Find("gpu-worker-01"));
        Assert.Equal("NL", _cache.Find(TestNodes.AzureD4)?.Zone);
    }

    [Fact]
    public async Task ExecuteAsync_BrokenEdit_KeepsTheLastGoodInventoryUntilFixed()
    {
        WriteInventory("kubectl-get-nodes.yaml", minutes: 0);
        await StartLoaderAsync();
        await WaitForPollTimerAsync();

        WriteInventory("nodes-malformed.yaml", minutes: 1);
        _time.Advance(Poll);

        await Eventually.UntilAsync(() => _logger.At(LogLevel.Error).Count == 1, "the broken edit is reported");
        Assert.Contains(InventoryPath, _logger.At(LogLevel.Error)[0].Message, StringComparison.Ordinal);
        Assert.IsType<InvalidDataException>(_logger.At(LogLevel.Error)[0].Exception);
        Assert.True(_cache.IsSynced);
        Assert.Equal(2, _cache.Count);
        Assert.Equal("DE", _cache.Find("gpu-worker-01")?.Zone);

        WriteInventory("nodelist.yaml", minutes: 2);
        _time.Advance(Poll);

        await Eventually.UntilAsync(() => _cache.Count == 5, "the fixed inventory is loaded");
        Assert.False(_loader!.ExecuteTask!.IsCompleted);
    }

    [Fact]
    public async Task ExecuteAsync_FileDeleted_KeepsTheLastGoodInventory()
    {
        WriteInventory("nodelist.json", minutes: 0);
        await StartLoaderAsync();
        await WaitForPollTimerAsync();

        File.Delete(InventoryPath);
        _time.Advance(Poll);

        await Eventually.UntilAsync(() => _logger.At(LogLevel.Error).Count == 1, "the missing file is reported");
        Assert.Equal(5, _cache.Count);
        Assert.False(_loader!.ExecuteTask!.IsCompleted);
    }

    [Fact]
    public async Task ExecuteAsync_EditWithAnEmptyItem_KeepsTheLastGoodInventoryAndKeepsPolling()
    {
        WriteInventory("kubectl-get-nodes.yaml", minutes: 0);
        await StartLoaderAsync();
        await WaitForPollTimerAsync();

        WriteInventory("nodes-empty-item.yaml", minutes: 1);
        _time.Advance(Poll);

        await Eventually.UntilAsync(() => _logger.At(LogLevel.Error).Count == 1 || _loader!.ExecuteTask!.IsCompleted, "the broken edit is handled");
        Assert.False(_loader!.ExecuteTask!.IsCompleted, "the loader must keep polling");
        Assert.Equal(2, _cache.Count);
    }

    [Fact]
    public async Task StopAsync_WhilePolling_EndsCleanly()
    {
        WriteInventory("nodelist.json", minutes: 0);
        var loader = await StartLoaderAsync();
        await WaitForPollTimerAsync();

        using var timeout = new CancellationTokenSource(Eventually.Timeout);
        await loader.StopAsync(timeout.Token);

        Assert.True(loader.ExecuteTask!.IsCompletedSuccessfully);
        Assert.Equal(5, _cache.Count);
    }

    private NodeInventoryLoader CreateLoader() =>
        new(_cache, Options.Create(new NodesOptions { InventoryFile = InventoryPath, InventoryPollSeconds = (int)Poll.TotalSeconds }), _time, _logger);

    private async Task<NodeInventoryLoader> StartLoaderAsync()
    {
        _loader = CreateLoader();
        await _loader.StartAsync(CancellationToken.None);
        return _loader;
    }

    private Task WaitForPollTimerAsync() =>
        Eventually.UntilAsync(() => _time.TimerDueTimes.Count == 1, "the loader polls the file");

    /// <summary>Writes test data file <paramref name="dataFile"/> as the inventory, stamped <paramref name="minutes"/> after the first write.</summary>
    private void WriteInventory(string dataFile, int minutes)
    {
        File.Copy(TestNodes.DataFile(dataFile), InventoryPath, overwrite: true);
        File.SetLastWriteTimeUtc(InventoryPath, FirstWrite.AddMinutes(minutes));
    }
}
