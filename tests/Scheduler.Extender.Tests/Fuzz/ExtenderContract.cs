using System.Net;
using System.Text.Json;
using Scheduler.Extender.Tests.Fixtures;
using Scheduler.Tests.Shared.Fuzzing;

namespace Scheduler.Extender.Tests.Fuzz;

/// <summary>
/// Posts one body to an extender verb and checks the answer against the wire contract: 200 with a
/// well-formed answer about the request's own candidates, or 400 with <c>{"Error": "..."}</c>; never
/// a 500, a dropped connection, or an internal fault hidden behind the fallback answer.
/// </summary>
internal static class ExtenderContract
{
    /// <summary>What the extender answered.</summary>
    public sealed record Answer(HttpStatusCode Status, string Body);

    /// <summary>
    /// Posts <paramref name="body"/> to <paramref name="path"/> and returns a problem, or <c>null</c>
    /// when the answer follows the contract. <paramref name="candidates"/> are the hosts the answer may
    /// name (null: any string of the request); <paramref name="mustAccept"/> says a 400 is a problem too.
    /// </summary>
    public static string? Check(ExtenderServer server, string path, byte[] body, IReadOnlyList<string>? candidates, bool mustAccept, string contentType = "application/json")
    {
        var faultsBefore = Faults(server, path);
        Answer answer;
        try
        {
            answer = Post(server.Client, path, body, contentType);
        }
        catch (HttpRequestException e)
        {
            return $"the connection failed: {e.Message}";
        }

        var problem = answer.Status switch
        {
            HttpStatusCode.OK => CheckOk(path, answer.Body, candidates ?? (IReadOnlyCollection<string>)StringsOf(body)),
            HttpStatusCode.BadRequest when mustAccept => $"a valid request was refused: {answer.Body}",
            HttpStatusCode.BadRequest => CheckError(answer.Body),
            _ => $"HTTP {(int)answer.Status}: {FuzzRun.Show(answer.Body)}",
        };
        if (problem is null && Faults(server, path) is var faultsAfter && faultsAfter != faultsBefore)
        {
            problem = $"answered {(int)answer.Status} from the fallback after an internal fault ({faultsBefore} → {faultsAfter} faults)";
        }

        return problem is null ? null : $"{path}: {problem}; request: {FuzzRun.Show(body)}";
    }

    /// <summary>Posts synchronously: FsCheck properties are synchronous.</summary>
    public static Answer Post(HttpClient client, string path, byte[] body, string contentType = "application/json")
    {
        using var content = new ByteArrayContent(body);
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(path, UriKind.Relative)) { Content = content };
        using var response = client.Send(request);
        using var reader = new StreamReader(response.Content.ReadAsStream());
        return new Answer(response.StatusCode, reader.ReadToEnd());
    }

    /// <summary>A 400's body: <c>{"Error": "..."}</c> with a message.</summary>
    public static string? CheckError(string body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            return json.RootElement.ValueKind == JsonValueKind.Object
                && json.RootElement.TryGetProperty("Error", out var error)
                && error.ValueKind == JsonValueKind.String
                && !string.IsNullOrWhiteSpace(error.GetString())
                ? null
                : $"a 400 without an Error message: {FuzzRun.Show(body)}";
        }
        catch (JsonException e)
        {
            return $"a 400 whose body is not JSON ({e.Message}): {FuzzRun.Show(body)}";
        }
    }

    private static string? CheckOk(string path, string body, IReadOnlyCollection<string> candidates)
    {
        try
        {
            // Nodes are echoed as sent, so the answer nests as deep as the request may (the reader's limit).
            using var json = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 256 });
            return path == "/prioritize" ? CheckPriorities(json.RootElement, candidates) : CheckFilter(json.RootElement, candidates);
        }
        catch (JsonException e)
        {
            return $"a 200 whose body is not JSON ({e.Message}): {FuzzRun.Show(body)}";
        }
    }

    private static string? CheckPriorities(JsonElement root, IReadOnlyCollection<string> candidates)
    {
        if (root.ValueKind != JsonValueKind.Array)
        {
            return $"prioritize answered {root.ValueKind}, not a HostPriorityList";
        }

        foreach (var entry in root.EnumerateArray())
        {
            var host = entry.TryGetProperty("Host", out var h) && h.ValueKind == JsonValueKind.String ? h.GetString() : null;
            if (host is null || !candidates.Contains(host))
            {
                return $"scored host {entry} is not a candidate";
            }

            if (!entry.TryGetProperty("Score", out var score) || !score.TryGetInt64(out var value) || value is < 0 or > 10)
            {
                return $"score {entry} is not an integer in 0..10";
            }
        }

        return candidates is IReadOnlyList<string> list && root.GetArrayLength() != list.Count
            ? $"{root.GetArrayLength()} scores for {list.Count} candidates"
            : null;
    }

    private static string? CheckFilter(JsonElement root, IReadOnlyCollection<string> candidates)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return $"filter answered {root.ValueKind}, not an ExtenderFilterResult";
        }

        var kept = new List<string>();
        if (root.TryGetProperty("NodeNames", out var names) && names.ValueKind == JsonValueKind.Array)
        {
            kept.AddRange(names.EnumerateArray().Select(n => n.GetString() ?? "(null)"));
        }

        if (root.TryGetProperty("Nodes", out var nodes) && nodes.ValueKind == JsonValueKind.Object)
        {
            foreach (var node in nodes.GetProperty("items").EnumerateArray())
            {
                kept.Add(NodeName(node) ?? "(no name)");
            }
        }

        if (!root.TryGetProperty("FailedNodes", out var failed) || failed.ValueKind != JsonValueKind.Object)
        {
            return "filter answered without a FailedNodes map";
        }

        foreach (var host in kept.Concat(failed.EnumerateObject().Select(f => f.Name)))
        {
            if (!candidates.Contains(host))
            {
                return $"filter names {FuzzRun.Show(host)}, which is not a candidate";
            }
        }

        return root.TryGetProperty("Error", out var error) && error.ValueKind == JsonValueKind.String && error.GetString() == string.Empty
            ? null
            : "filter answered without an empty Error";
    }

    // The extender matches keys case-insensitively, as Go does; so does this check.
    private static string? NodeName(JsonElement node)
    {
        foreach (var field in node.EnumerateObject())
        {
            if (string.Equals(field.Name, "metadata", StringComparison.OrdinalIgnoreCase) && field.Value.ValueKind == JsonValueKind.Object)
            {
                foreach (var meta in field.Value.EnumerateObject())
                {
                    if (string.Equals(meta.Name, "name", StringComparison.OrdinalIgnoreCase) && meta.Value.ValueKind == JsonValueKind.String)
                    {
                        return meta.Value.GetString();
                    }
                }
            }
        }

        return null;
    }

    // Every string value of a request: the hosts an answer to a mutated request may name.
    private static HashSet<string> StringsOf(byte[] body)
    {
        var strings = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = 10_000 });
            while (reader.Read())
            {
                if (reader.TokenType == JsonTokenType.String && TryGetString(ref reader) is { } text)
                {
                    strings.Add(text);
                }
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            // An unreadable request has no valid answer but a 400; the empty set makes any 200 naming a host a problem.
        }

        return strings;
    }

    private static string? TryGetString(ref Utf8JsonReader reader)
    {
        try
        {
            return reader.GetString();
        }
        catch (InvalidOperationException)
        {
            // A lone surrogate escape, in a field the extender skips: it names no host.
            return null;
        }
    }

    private static double Faults(ExtenderServer server, string path)
    {
        var verb = path.TrimStart('/');
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/metrics", UriKind.Relative));
        using var response = server.Client.Send(request);
        using var reader = new StreamReader(response.Content.ReadAsStream());
        var scrape = MetricsScrape.Parse(reader.ReadToEnd());
        return scrape.Value($"carbon_extender_faults_total{{verb=\"{verb}\"}}") ?? 0;
    }
}
