namespace Scheduler.Kubernetes.Tests.Fakes;

/// <summary>What a request to <see cref="FakeKubernetesApiServer"/> asked for.</summary>
public enum ApiRequestKind
{
    /// <summary><c>GET /api/v1/nodes</c> without <c>watch</c>: a (paginated) NodeList.</summary>
    List,

    /// <summary><c>GET /api/v1/nodes?watch=true</c> (or the legacy <c>/api/v1/watch/nodes</c>): a stream of watch events.</summary>
    Watch,

    /// <summary><c>GET /api/v1/nodes/{name}</c>: one Node.</summary>
    Get,

    /// <summary>Anything else: answered 404 or 405 with a Status.</summary>
    Other,
}
