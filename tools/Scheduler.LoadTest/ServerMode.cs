namespace Scheduler.LoadTest;

/// <summary>Where the extender under load runs.</summary>
internal enum ServerMode
{
    /// <summary>A child process running the built server: its memory is the server's alone.</summary>
    Child,

    /// <summary>Inside this process, through <c>ExtenderApp.Build</c>: its memory figures include the load generator.</summary>
    InProcess,

    /// <summary>An already running server on a loopback address (<c>--url</c>).</summary>
    External,
}
