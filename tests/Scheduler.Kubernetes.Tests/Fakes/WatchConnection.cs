using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace Scheduler.Kubernetes.Tests.Fakes;

/// <summary>
/// One open watch of <see cref="FakeKubernetesApiServer"/>: what it selects, and the lines still to be
/// written to it. Changes are filtered as the API server's watch cache filters them: an object that
/// starts to match is <c>ADDED</c>, one that stops matching is <c>DELETED</c> (with its previous state at
/// the change's resourceVersion).
/// </summary>
internal sealed class WatchConnection(ResourceType type, string? ns, string? name, LabelSelector labels, FieldSelector fields, bool wantsBookmarks, long position)
{
    // A null message asks for the connection to be dropped (aborted) instead of ended.
    private readonly Channel<string?> _messages = Channel.CreateUnbounded<string?>(new UnboundedChannelOptions { SingleReader = true });

    /// <summary>The resource watched.</summary>
    public ResourceType Type { get; } = type;

    /// <summary>Whether the client asked for BOOKMARK events.</summary>
    public bool WantsBookmarks { get; } = wantsBookmarks;

    /// <summary>The resourceVersion the client has seen up to (the last event sent, or where it started).</summary>
    public long Position { get; private set; } = position;

    /// <summary>What to write, in order; completes when the response should end.</summary>
    public ChannelReader<string?> Messages => _messages.Reader;

    /// <summary>The JSON line of a watch event.</summary>
    public static string EventLine(string type, string objectJson) => "{\"type\":\"" + type + "\",\"object\":" + objectJson + "}";

    /// <summary>Whether the watch selects the stored object <paramref name="json"/>.</summary>
    public bool Selects(JsonObject json) =>
        (ns is null || JsonObjects.Namespace(json) == ns)
        && (name is null || JsonObjects.Name(json) == name)
        && labels.Matches(JsonObjects.Labels(json))
        && fields.Matches(json);

    /// <summary>Sends the event <paramref name="change"/> means to this watch, if any.</summary>
    public void Offer(StoredChange change)
    {
        if (change.Storage != Type.Storage)
        {
            return;
        }

        var selectedNow = change.Type != "DELETED" && Selects(change.Object);
        var selectedBefore = change.Previous is { } previous && Selects(previous);
        var (eventType, json) = (selectedNow, selectedBefore) switch
        {
            (true, false) => ("ADDED", change.Object),
            (true, true) => ("MODIFIED", change.Object),
            (false, true) when change.Type == "DELETED" => ("DELETED", change.Object),
            (false, true) => ("DELETED", AtVersion(change.Previous!, change.Version)),
            _ => (null, null),
        };
        if (eventType is not null)
        {
            Send(change.Version, EventLine(eventType, JsonObjects.Serialize(Type.FromStorage(json!))));
        }
    }

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

    private static JsonObject AtVersion(JsonObject json, long version)
    {
        var copy = JsonObjects.Copy(json);
        JsonObjects.Metadata(copy)["resourceVersion"] = JsonObjects.Format(version);
        return copy;
    }
}
