using System.Threading.Channels;

namespace Scheduler.Kubernetes.Tests.Fakes;

/// <summary>One open watch of <see cref="FakeKubernetesApiServer"/>: the lines still to be written to it.</summary>
internal sealed class WatchConnection(bool wantsBookmarks, long position)
{
    // A null message asks for the connection to be dropped (aborted) instead of ended.
    private readonly Channel<string?> _messages = Channel.CreateUnbounded<string?>(new UnboundedChannelOptions { SingleReader = true });

    /// <summary>Whether the client asked for BOOKMARK events.</summary>
    public bool WantsBookmarks { get; } = wantsBookmarks;

    /// <summary>The resourceVersion the client has seen up to (the last event sent, or where it started).</summary>
    public long Position { get; private set; } = position;

    /// <summary>What to write, in order; completes when the response should end.</summary>
    public ChannelReader<string?> Messages => _messages.Reader;

    /// <summary>Queues one event line at <paramref name="version"/>.</summary>
    public void Send(long version, string line)
    {
        Position = Math.Max(Position, version);
        _messages.Writer.TryWrite(line);
    }

    /// <summary>Ends the response cleanly (as at timeoutSeconds): the client reads end of stream.</summary>
    public void End() => _messages.Writer.TryComplete();

    /// <summary>Aborts the connection mid-stream, as a lost connection or a crashed API server does.</summary>
    public void Drop()
    {
        _messages.Writer.TryWrite(null);
        _messages.Writer.TryComplete();
    }
}
