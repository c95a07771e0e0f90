using System.Text.Json;
using k8s;
using k8s.Autorest;

namespace Scheduler.Kubernetes.Tests.Fakes;

/// <summary>Assertions on what the API server answers, for the tests of <see cref="FakeKubernetesApiServer"/>.</summary>
internal static class ApiAssert
{
    /// <summary>
    /// Asserts that <paramref name="call"/> fails with a <c>Status</c> of <paramref name="code"/>, <paramref name="reason"/>
    /// and exactly <paramref name="message"/>; returns the Status for further checks.
    /// </summary>
    public static async Task<JsonElement> FailsWithStatusAsync(Func<Task> call, int code, string? reason, string message)
    {
        var status = await FailsWithStatusAsync(call, code, reason);
        Assert.Equal(message, status.GetProperty("message").GetString());
        return status;
    }

    /// <summary>Asserts that <paramref name="call"/> fails with a <c>Status</c> of <paramref name="code"/> and <paramref name="reason"/>; returns the Status.</summary>
    public static async Task<JsonElement> FailsWithStatusAsync(Func<Task> call, int code, string? reason)
    {
        var e = await Assert.ThrowsAsync<HttpOperationException>(call);
        Assert.Equal(code, (int)e.Response.StatusCode);
        using var json = JsonDocument.Parse(e.Response.Content);
        var status = json.RootElement.Clone();
        Assert.Equal("Status", status.GetProperty("kind").GetString());
        Assert.Equal("v1", status.GetProperty("apiVersion").GetString());
        Assert.Equal("Failure", status.GetProperty("status").GetString());
        Assert.Equal(code, status.GetProperty("code").GetInt32());
        Assert.Equal(reason, status.TryGetProperty("reason", out var r) ? r.GetString() : null);
        return status;
    }

    /// <summary>Asserts that a Status names the object <paramref name="name"/> of <paramref name="group"/> (empty for core) and resource <paramref name="kind"/>.</summary>
    public static void DetailsName(JsonElement status, string name, string group, string kind)
    {
        var details = status.GetProperty("details");
        Assert.Equal(name, details.GetProperty("name").GetString());
        Assert.Equal(group, details.TryGetProperty("group", out var g) ? g.GetString() : string.Empty);
        Assert.Equal(kind, details.GetProperty("kind").GetString());
    }

    /// <summary>The next event of a watch, failing the test when none comes.</summary>
    public static async Task<(WatchEventType Type, T Object)> NextAsync<T>(IAsyncEnumerator<(WatchEventType, T)> events)
    {
        Assert.True(await events.MoveNextAsync(), "the watch ended");
        return events.Current;
    }
}
