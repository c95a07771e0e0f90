using System.Text.Json.Serialization;

namespace Scheduler.Kubernetes.Tests.Fakes;

/// <summary>The content of the API server's opaque list continue token.</summary>
/// <param name="V">The token format, <c>meta.k8s.io/v1</c>.</param>
/// <param name="Rv">The resourceVersion of the list's snapshot.</param>
/// <param name="Start">The key the next page starts at (the last name returned and a NUL).</param>
internal sealed record ContinueToken(
    [property: JsonPropertyName("v")] string V,
    [property: JsonPropertyName("rv")] long Rv,
    [property: JsonPropertyName("start")] string Start);
