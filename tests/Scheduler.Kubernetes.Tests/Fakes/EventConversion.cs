using System.Text.Json.Nodes;

namespace Scheduler.Kubernetes.Tests.Fakes;

/// <summary>
/// Converts <c>events.k8s.io/v1</c> Events to and from the core <c>v1</c> Events they are stored as: the API
/// server keeps one Event storage and serves it through both groups (<c>pkg/apis/events/v1/conversion.go</c>).
/// </summary>
internal sealed class EventConversion : IObjectConversion
{
    /// <summary>The conversion of <c>events.k8s.io/v1</c>.</summary>
    public static readonly EventConversion Instance = new();

    // events.k8s.io/v1 field -> core v1 field; the other fields have the same name in both.
    private static readonly (string Events, string Core)[] Renamed =
    [
        ("regarding", "involvedObject"),
        ("note", "message"),
        ("reportingController", "reportingComponent"),
        ("deprecatedSource", "source"),
        ("deprecatedFirstTimestamp", "firstTimestamp"),
        ("deprecatedLastTimestamp", "lastTimestamp"),
        ("deprecatedCount", "count"),
    ];

    /// <inheritdoc />
    public JsonObject ToStorage(JsonObject json) => Rename(json, e => e.Events, e => e.Core);

    /// <inheritdoc />
    public JsonObject FromStorage(JsonObject stored) => Rename(stored, e => e.Core, e => e.Events);

    private static JsonObject Rename(JsonObject json, Func<(string Events, string Core), string> from, Func<(string Events, string Core), string> to)
    {
        var renamed = new JsonObject();
        foreach (var (name, value) in json)
        {
            if (name is "kind" or "apiVersion")
            {
                continue;
            }

            var match = Renamed.FirstOrDefault(r => from(r) == name);
            renamed[match.Events is null ? name : to(match)] = value?.DeepClone();
        }

        return renamed;
    }
}
