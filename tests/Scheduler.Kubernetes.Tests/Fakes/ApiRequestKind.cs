namespace Scheduler.Kubernetes.Tests.Fakes;

/// <summary>What a request to <see cref="FakeKubernetesApiServer"/> asked for: one value per resource and verb the fake serves.</summary>
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

    /// <summary><c>GET /apis/batch/v1/jobs</c> or <c>/apis/batch/v1/namespaces/{ns}/jobs</c> without <c>watch</c>: a JobList.</summary>
    JobList,

    /// <summary>The same paths with <c>watch=true</c>: a stream of Job watch events.</summary>
    JobWatch,

    /// <summary><c>GET /apis/batch/v1/namespaces/{ns}/jobs/{name}</c>.</summary>
    JobGet,

    /// <summary><c>POST /apis/batch/v1/namespaces/{ns}/jobs</c>.</summary>
    JobCreate,

    /// <summary><c>PUT /apis/batch/v1/namespaces/{ns}/jobs/{name}</c>.</summary>
    JobReplace,

    /// <summary><c>PATCH /apis/batch/v1/namespaces/{ns}/jobs/{name}</c>.</summary>
    JobPatch,

    /// <summary><c>DELETE /apis/batch/v1/namespaces/{ns}/jobs/{name}</c>.</summary>
    JobDelete,

    /// <summary><c>GET /api/v1/pods</c> or <c>/api/v1/namespaces/{ns}/pods</c> without <c>watch</c>: a PodList.</summary>
    PodList,

    /// <summary>The same paths with <c>watch=true</c>: a stream of Pod watch events.</summary>
    PodWatch,

    /// <summary><c>GET /api/v1/namespaces/{ns}/pods/{name}</c>.</summary>
    PodGet,

    /// <summary><c>PUT /api/v1/namespaces/{ns}/pods/{name}</c>.</summary>
    PodReplace,

    /// <summary><c>PATCH /api/v1/namespaces/{ns}/pods/{name}</c>.</summary>
    PodPatch,

    /// <summary>A list of Leases (<c>/apis/coordination.k8s.io/v1/[namespaces/{ns}/]leases</c>).</summary>
    LeaseList,

    /// <summary>A watch of Leases.</summary>
    LeaseWatch,

    /// <summary><c>GET /apis/coordination.k8s.io/v1/namespaces/{ns}/leases/{name}</c>.</summary>
    LeaseGet,

    /// <summary><c>POST /apis/coordination.k8s.io/v1/namespaces/{ns}/leases</c>.</summary>
    LeaseCreate,

    /// <summary><c>PUT /apis/coordination.k8s.io/v1/namespaces/{ns}/leases/{name}</c>.</summary>
    LeaseReplace,

    /// <summary><c>PATCH /apis/coordination.k8s.io/v1/namespaces/{ns}/leases/{name}</c>.</summary>
    LeasePatch,

    /// <summary><c>DELETE /apis/coordination.k8s.io/v1/namespaces/{ns}/leases/{name}</c>.</summary>
    LeaseDelete,

    /// <summary>A list of Events, core (<c>/api/v1/[namespaces/{ns}/]events</c>) or <c>events.k8s.io/v1</c>.</summary>
    EventList,

    /// <summary>A watch of Events, either API group.</summary>
    EventWatch,

    /// <summary>One Event, either API group.</summary>
    EventGet,

    /// <summary><c>POST /api/v1/namespaces/{ns}/events</c> or <c>/apis/events.k8s.io/v1/namespaces/{ns}/events</c>.</summary>
    EventCreate,

    /// <summary><c>PUT</c> of one Event, either API group.</summary>
    EventReplace,

    /// <summary><c>PATCH</c> of one Event, either API group (event recorders patch the count of a repeated event).</summary>
    EventPatch,

    /// <summary><c>DELETE</c> of one Event, either API group.</summary>
    EventDelete,
}
