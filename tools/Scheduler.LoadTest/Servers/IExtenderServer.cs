namespace Scheduler.LoadTest.Servers;

/// <summary>An extender the load is sent to; disposing it stops it when this tool started it.</summary>
internal interface IExtenderServer : IAsyncDisposable
{
    /// <summary>The server's base address, always on loopback.</summary>
    Uri BaseAddress { get; }

    /// <summary>How the server runs, for the report.</summary>
    string Description { get; }
}
