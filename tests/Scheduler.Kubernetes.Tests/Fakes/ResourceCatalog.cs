using System.Text.Json.Nodes;
using k8s.Models;

namespace Scheduler.Kubernetes.Tests.Fakes;

/// <summary>The resources <see cref="FakeKubernetesApiServer"/> serves.</summary>
internal static class ResourceCatalog
{
    /// <summary><c>v1 nodes</c>: read-only through the API (tests change them).</summary>
    public static readonly ResourceType Nodes = new()
    {
        Group = string.Empty,
        Plural = "nodes",
        Kind = V1Node.KubeKind,
        Namespaced = false,
        Storage = "nodes",
        Verbs = new Dictionary<ApiVerb, ApiRequestKind>
        {
            [ApiVerb.List] = ApiRequestKind.List,
            [ApiVerb.Watch] = ApiRequestKind.Watch,
            [ApiVerb.Get] = ApiRequestKind.Get,
        },
        Normalize = Normalizer<V1Node>(),
        FieldLabels = new Dictionary<string, FieldLabel> { ["spec.unschedulable"] = new(["spec", "unschedulable"], "false") },
    };

    /// <summary><c>batch/v1 jobs</c>.</summary>
    public static readonly ResourceType Jobs = new()
    {
        Group = V1Job.KubeGroup,
        Plural = "jobs",
        Kind = V1Job.KubeKind,
        Namespaced = true,
        Storage = "jobs",
        Verbs = ReadWrite(ApiRequestKind.JobList, ApiRequestKind.JobWatch, ApiRequestKind.JobGet, ApiRequestKind.JobCreate, ApiRequestKind.JobReplace, ApiRequestKind.JobPatch, ApiRequestKind.JobDelete),
        Normalize = Normalizer<V1Job>(),
        Strategy = JobStrategy.Instance,
        FieldLabels = new Dictionary<string, FieldLabel> { ["status.successful"] = new(["status", "succeeded"], "0") },
        SecondTimes = ["status.startTime", "status.completionTime", "status.conditions[].lastProbeTime", "status.conditions[].lastTransitionTime"],
        BookmarkExtra = new JsonObject
        {
            ["spec"] = new JsonObject { ["template"] = new JsonObject { ["metadata"] = new JsonObject { ["creationTimestamp"] = null }, ["spec"] = new JsonObject { ["containers"] = null } } },
            ["status"] = new JsonObject(),
        },

        // batch/v1 keeps orphaning the pods of a deleted Job unless the request says otherwise, for compatibility.
        DefaultPropagation = "Orphan",
    };

    /// <summary><c>v1 pods</c>: read, replaced and patched through the API under the pod update rules of <see cref="PodStrategy"/>; tests add and delete them.</summary>
    public static readonly ResourceType Pods = new()
    {
        Group = string.Empty,
        Plural = "pods",
        Kind = V1Pod.KubeKind,
        Namespaced = true,
        Storage = "pods",
        Verbs = new Dictionary<ApiVerb, ApiRequestKind>
        {
            [ApiVerb.List] = ApiRequestKind.PodList,
            [ApiVerb.Watch] = ApiRequestKind.PodWatch,
            [ApiVerb.Get] = ApiRequestKind.PodGet,
            [ApiVerb.Update] = ApiRequestKind.PodReplace,
            [ApiVerb.Patch] = ApiRequestKind.PodPatch,
        },
        Normalize = Normalizer<V1Pod>(),
        Strategy = PodStrategy.Instance,
        FieldLabels = new Dictionary<string, FieldLabel>
        {
            ["spec.nodeName"] = new(["spec", "nodeName"]),
            ["spec.restartPolicy"] = new(["spec", "restartPolicy"]),
            ["spec.schedulerName"] = new(["spec", "schedulerName"]),
            ["spec.serviceAccountName"] = new(["spec", "serviceAccountName"]),
            ["spec.hostNetwork"] = new(["spec", "hostNetwork"], "false"),
            ["status.phase"] = new(["status", "phase"]),
            ["status.podIP"] = new(["status", "podIP"]),
            ["status.nominatedNodeName"] = new(["status", "nominatedNodeName"]),
        },
        SecondTimes = ["status.startTime", "status.conditions[].lastProbeTime", "status.conditions[].lastTransitionTime"],
        BookmarkExtra = new JsonObject { ["spec"] = new JsonObject { ["containers"] = null }, ["status"] = new JsonObject() },
    };

    /// <summary><c>coordination.k8s.io/v1 leases</c>.</summary>
    public static readonly ResourceType Leases = new()
    {
        Group = V1Lease.KubeGroup,
        Plural = "leases",
        Kind = V1Lease.KubeKind,
        Namespaced = true,
        Storage = "leases",
        Verbs = ReadWrite(ApiRequestKind.LeaseList, ApiRequestKind.LeaseWatch, ApiRequestKind.LeaseGet, ApiRequestKind.LeaseCreate, ApiRequestKind.LeaseReplace, ApiRequestKind.LeasePatch, ApiRequestKind.LeaseDelete),
        Normalize = Normalizer<V1Lease>(),
        BookmarkExtra = new JsonObject { ["spec"] = new JsonObject() },
    };

    /// <summary><c>v1 events</c>, the storage of both Event APIs.</summary>
    public static readonly ResourceType Events = new()
    {
        Group = string.Empty,
        Plural = "events",
        Kind = Corev1Event.KubeKind,
        Namespaced = true,
        Storage = "events",
        Verbs = EventVerbs(),
        Normalize = Normalizer<Corev1Event>(),
        Strategy = EventStrategy.Instance,
        FieldLabels = EventFieldLabels(involvedObject: "involvedObject", reportingComponent: "reportingComponent", source: "source"),
        SecondTimes = ["firstTimestamp", "lastTimestamp"],
        BookmarkExtra = new JsonObject
        {
            ["involvedObject"] = new JsonObject(),
            ["reportingComponent"] = string.Empty,
            ["reportingInstance"] = string.Empty,
            ["source"] = new JsonObject(),
            ["firstTimestamp"] = null,
            ["lastTimestamp"] = null,
            ["eventTime"] = null,
        },
    };

    /// <summary><c>events.k8s.io/v1 events</c>: the same Events as <see cref="Events"/>, converted.</summary>
    public static readonly ResourceType EventsV1 = new()
    {
        Group = Eventsv1Event.KubeGroup,
        Plural = "events",
        Kind = Eventsv1Event.KubeKind,
        Namespaced = true,
        Storage = "events",
        Verbs = EventVerbs(),
        Normalize = Normalizer<Eventsv1Event>(),
        Strategy = EventStrategy.Instance,
        Conversion = EventConversion.Instance,
        FieldLabels = EventFieldLabels(involvedObject: "regarding", reportingComponent: "reportingController", source: "deprecatedSource"),
        BookmarkExtra = new JsonObject { ["eventTime"] = null },
    };

    /// <summary>Every resource served.</summary>
    public static readonly IReadOnlyList<ResourceType> All = [Nodes, Jobs, Pods, Leases, Events, EventsV1];

    /// <summary>The resource of a path, or <c>null</c> when the fake does not serve it.</summary>
    public static ResourceType? Find(string group, string version, string plural) =>
        All.FirstOrDefault(t => t.Group == group && t.Version == version && t.Plural == plural);

    /// <summary>The resource whose JSON <paramref name="type"/>'s storage keeps (itself, unless it converts).</summary>
    public static ResourceType StorageOf(ResourceType type) => All.First(t => t.Storage == type.Storage && t.Conversion is null);

    private static Func<JsonNode, JsonObject> Normalizer<T>() => json => JsonObjects.FromModel(JsonObjects.ToModel<T>(json)!);

    private static Dictionary<ApiVerb, ApiRequestKind> ReadWrite(
        ApiRequestKind list, ApiRequestKind watch, ApiRequestKind get, ApiRequestKind create, ApiRequestKind update, ApiRequestKind patch, ApiRequestKind delete) => new()
        {
            [ApiVerb.List] = list,
            [ApiVerb.Watch] = watch,
            [ApiVerb.Get] = get,
            [ApiVerb.Create] = create,
            [ApiVerb.Update] = update,
            [ApiVerb.Patch] = patch,
            [ApiVerb.Delete] = delete,
        };

    private static Dictionary<ApiVerb, ApiRequestKind> EventVerbs() =>
        ReadWrite(ApiRequestKind.EventList, ApiRequestKind.EventWatch, ApiRequestKind.EventGet, ApiRequestKind.EventCreate, ApiRequestKind.EventReplace, ApiRequestKind.EventPatch, ApiRequestKind.EventDelete);

    private static Dictionary<string, FieldLabel> EventFieldLabels(string involvedObject, string reportingComponent, string source)
    {
        // Field selectors are evaluated on the stored (core) Event; the events.k8s.io names map onto its fields.
        var labels = new Dictionary<string, FieldLabel>(StringComparer.Ordinal)
        {
            ["reason"] = new(["reason"]),
            ["type"] = new(["type"]),
            [reportingComponent] = new(["reportingComponent"]),
            [source] = new(["source", "component"]),
        };
        foreach (var field in new[] { "kind", "namespace", "name", "uid", "apiVersion", "resourceVersion", "fieldPath" })
        {
            labels[$"{involvedObject}.{field}"] = new(["involvedObject", field]);
        }

        return labels;
    }
}
