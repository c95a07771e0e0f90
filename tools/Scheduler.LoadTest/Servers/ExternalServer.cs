namespace Scheduler.LoadTest.Servers;

/// <summary>A server someone else started; it is left running.</summary>
internal sealed class ExternalServer(Uri baseAddress) : IExtenderServer
{
    public Uri BaseAddress { get; } = baseAddress;

    public string Description => $"external server at {BaseAddress}";

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
