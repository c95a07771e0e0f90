using System.Globalization;

namespace Scheduler.Kubernetes.Tests.Fakes;

/// <summary>One request received by <see cref="FakeKubernetesApiServer"/>.</summary>
/// <param name="Method">The HTTP method.</param>
/// <param name="Path">The path, e.g. <c>/api/v1/nodes</c>.</param>
/// <param name="Query">The query parameters (the last value of each).</param>
/// <param name="Kind">What the request asked for.</param>
public sealed record RecordedRequest(string Method, string Path, IReadOnlyDictionary<string, string> Query, ApiRequestKind Kind)
{
    /// <summary>The namespace of the path, or <c>null</c> for a cluster-scoped or all-namespaces request.</summary>
    public string? Namespace { get; init; }

    /// <summary>The object name of the path, or <c>null</c> for a collection.</summary>
    public string? Name { get; init; }

    /// <summary>The <c>Content-Type</c> header, or <c>null</c> when the request has none.</summary>
    public string? ContentType { get; init; }

    /// <summary>The body as sent (e.g. a patch), or <c>null</c> for a request without one.</summary>
    public string? Body { get; init; }

    /// <summary>The <c>resourceVersion</c> parameter, or <c>null</c>.</summary>
    public string? ResourceVersion => Parameter("resourceVersion");

    /// <summary>The <c>continue</c> parameter, or <c>null</c>.</summary>
    public string? Continue => Parameter("continue");

    /// <summary>The <c>limit</c> parameter, or <c>null</c>.</summary>
    public int? Limit => Number("limit");

    /// <summary>The <c>timeoutSeconds</c> parameter, or <c>null</c>.</summary>
    public int? TimeoutSeconds => Number("timeoutSeconds");

    /// <summary>Whether <c>allowWatchBookmarks=true</c> was asked.</summary>
    public bool AllowWatchBookmarks => IsTrue(Parameter("allowWatchBookmarks"));

    /// <summary>Whether <c>watch=true</c> was asked.</summary>
    public bool Watch => IsTrue(Parameter("watch"));

    /// <summary>The <c>labelSelector</c> parameter, or <c>null</c>.</summary>
    public string? LabelSelector => Parameter("labelSelector");

    /// <summary>The <c>fieldSelector</c> parameter, or <c>null</c>.</summary>
    public string? FieldSelector => Parameter("fieldSelector");

    /// <summary>The parameter <paramref name="name"/>, or <c>null</c> when absent.</summary>
    public string? Parameter(string name) => Query.TryGetValue(name, out var value) ? value : null;

    /// <inheritdoc />
    public override string ToString() =>
        Query.Count == 0 ? $"{Method} {Path}" : $"{Method} {Path}?{string.Join('&', Query.Select(p => $"{p.Key}={p.Value}"))}";

    private int? Number(string name) =>
        int.TryParse(Parameter(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : null;

    private static bool IsTrue(string? value) => value is "true" or "1";
}
