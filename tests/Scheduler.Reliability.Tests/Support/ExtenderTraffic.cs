using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Scheduler.Core.Annotations;
using Scheduler.LoadTest.Load;

namespace Scheduler.Reliability.Tests.Support;

/// <summary>
/// What kube-scheduler sends with <c>nodeCacheCapable: true</c> (pods with node names only, so the node cache the
/// watch fills is used), and the check of each answer against the wire contract (extender.md): <c>/prioritize</c>
/// a score 0..10 for each candidate and nothing else, <c>/filter</c> each candidate either kept or failed with a
/// reason, and no error.
/// </summary>
internal static class ExtenderTraffic
{
    /// <summary>Ten pods for each verb over <paramref name="nodes"/>; the filtered pods cap intensity at 300 gCO2eq/kWh.</summary>
    public static IReadOnlyList<LoadRequest> Requests(IReadOnlyList<string> nodes)
    {
        var requests = new List<LoadRequest>();
        for (var i = 0; i < 10; i++)
        {
            var name = string.Create(CultureInfo.InvariantCulture, $"load-{i}");
            requests.Add(new LoadRequest("prioritize", Body(name, nodes, maxIntensity: null, cpu: 1 + (i % 4)), name));
            requests.Add(new LoadRequest("filter", Body(name + "-capped", nodes, maxIntensity: "300", cpu: 2), name + "-capped"));
        }

        return requests;
    }

    /// <summary>A message naming what breaks the contract in <paramref name="body"/>, or <c>null</c> when it is valid.</summary>
    public static string? Check(LoadRequest request, byte[] body, IReadOnlyList<string> nodes)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            return request.Verb == "prioritize" ? CheckPriorities(json.RootElement, nodes) : CheckFilter(json.RootElement, nodes);
        }
        catch (JsonException e)
        {
            return $"not JSON: {e.Message}";
        }
    }

    private static string? CheckPriorities(JsonElement root, IReadOnlyList<string> nodes)
    {
        if (root.ValueKind != JsonValueKind.Array)
        {
            return $"not a HostPriorityList: {root.ValueKind}";
        }

        var hosts = new List<string>();
        foreach (var entry in root.EnumerateArray())
        {
            var host = entry.GetProperty("Host").GetString() ?? string.Empty;
            var score = entry.GetProperty("Score").GetInt64();
            if (score is < 0 or > 10)
            {
                return $"{host} scored {score}, outside 0..10";
            }

            hosts.Add(host);
        }

        return hosts.Order(StringComparer.Ordinal).SequenceEqual(nodes.Order(StringComparer.Ordinal))
            ? null
            : $"scored [{string.Join(",", hosts)}], not each candidate once";
    }

    private static string? CheckFilter(JsonElement root, IReadOnlyList<string> nodes)
    {
        if (root.TryGetProperty("Error", out var error) && error.GetString() is { Length: > 0 } message)
        {
            return $"Error: {message}";
        }

        var kept = root.GetProperty("NodeNames") is { ValueKind: JsonValueKind.Array } names
            ? names.EnumerateArray().Select(n => n.GetString()!).ToList()
            : [];
        var failed = root.GetProperty("FailedNodes") is { ValueKind: JsonValueKind.Object } reasons
            ? reasons.EnumerateObject().Where(r => r.Value.GetString() is { Length: > 0 }).Select(r => r.Name).ToList()
            : [];
        return kept.Concat(failed).Order(StringComparer.Ordinal).SequenceEqual(nodes.Order(StringComparer.Ordinal))
            ? null
            : $"kept [{string.Join(",", kept)}] and failed [{string.Join(",", failed)}]: not each candidate once";
    }

    private static byte[] Body(string pod, IReadOnlyList<string> nodes, string? maxIntensity, int cpu)
    {
        var annotations = new JsonObject { [CarbonAnnotations.Duration] = "2h" };
        if (maxIntensity is not null)
        {
            annotations[CarbonAnnotations.MaxIntensity] = maxIntensity;
        }

        var args = new JsonObject
        {
            ["Pod"] = new JsonObject
            {
                ["metadata"] = new JsonObject { ["name"] = pod, ["namespace"] = "ml", ["uid"] = Guid.NewGuid().ToString(), ["annotations"] = annotations },
                ["spec"] = new JsonObject
                {
                    ["containers"] = new JsonArray(new JsonObject
                    {
                        ["name"] = "main",
                        ["resources"] = new JsonObject { ["requests"] = new JsonObject { ["cpu"] = cpu.ToString(CultureInfo.InvariantCulture), ["memory"] = "4Gi" } },
                    }),
                },
            },
            ["NodeNames"] = new JsonArray([.. nodes.Select(n => (JsonNode)JsonValue.Create(n))]),
        };
        return Encoding.UTF8.GetBytes(args.ToJsonString());
    }
}
