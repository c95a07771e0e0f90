using k8s;
using k8s.Models;

namespace Scheduler.Kubernetes.Tests.Fakes;

/// <summary>
/// The pods of <see cref="FakeKubernetesApiServer"/>: read, replaced and patched through the API (under the pod
/// update rules of <see cref="PodStrategy"/>), added, changed and deleted by tests.
/// </summary>
public sealed partial class FakeKubernetesApiServer
{
    /// <summary>Creates <paramref name="pod"/> (an <c>ADDED</c> event) as given (no pod defaults); returns the new resourceVersion.</summary>
    /// <exception cref="InvalidOperationException">A pod of that name exists.</exception>
    public string AddPod(V1Pod pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        NameOf(pod.Metadata?.Name, nameof(pod));
        NameOf(pod.Metadata?.NamespaceProperty, nameof(pod));
        return Add(ResourceCatalog.Pods, pod);
    }

    /// <summary>
    /// Creates a pod of Job <paramref name="jobName"/> as the Job controller does: named <c>JOB-xxxxx</c>
    /// (or <paramref name="podName"/>), with the template's labels (so <c>job-name=JOB</c> and
    /// <c>batch.kubernetes.io/controller-uid=UID</c> select it), annotations and spec, a controller
    /// ownerReference to the Job, and phase <paramref name="phase"/>. Returns the pod as stored.
    /// </summary>
    /// <exception cref="InvalidOperationException">No such Job.</exception>
    public V1Pod AddJobPod(string @namespace, string jobName, string phase = "Pending", string? podName = null)
    {
        var job = GetJob(@namespace, jobName) ?? throw new InvalidOperationException($"jobs.batch \"{jobName}\" not found");
        var template = job.Spec.Template;
        var pod = new V1Pod
        {
            Metadata = new V1ObjectMeta
            {
                Name = podName,
                GenerateName = podName is null ? jobName + "-" : null,
                NamespaceProperty = @namespace,
                Labels = template.Metadata?.Labels is { } labels ? new Dictionary<string, string>(labels) : null,
                Annotations = template.Metadata?.Annotations is { } annotations ? new Dictionary<string, string>(annotations) : null,
                OwnerReferences =
                [
                    new V1OwnerReference
                    {
                        ApiVersion = "batch/v1",
                        Kind = V1Job.KubeKind,
                        Name = jobName,
                        Uid = job.Metadata.Uid,
                        Controller = true,
                        BlockOwnerDeletion = true,
                    },
                ],
            },
            Spec = KubernetesJson.Deserialize<V1PodSpec>(KubernetesJson.Serialize(template.Spec)),
            Status = new V1PodStatus { Phase = phase },
        };
        var stored = AsTest(() => _store.Create(ResourceCatalog.Pods, @namespace, JsonObjects.FromModel(pod), WriteOptions.Test));
        return JsonObjects.ToModel<V1Pod>(stored);
    }

    /// <summary>Pod <paramref name="name"/> as the API server serves it, or <c>null</c>.</summary>
    public V1Pod? GetPod(string @namespace, string name) => Find<V1Pod>(ResourceCatalog.Pods, @namespace, name);

    /// <summary>The pods of <paramref name="namespace"/> (all when <c>null</c>), in creation order.</summary>
    public IReadOnlyList<V1Pod> ListPods(string? @namespace = null) => All<V1Pod>(ResourceCatalog.Pods, @namespace);

    /// <summary>
    /// Changes pod <paramref name="name"/> with <paramref name="change"/> (a <c>MODIFIED</c> event) as the kubelet,
    /// the scheduler or a user with every right would: status included, and without the pod update rules. Returns
    /// the new resourceVersion.
    /// </summary>
    /// <exception cref="InvalidOperationException">No such pod.</exception>
    public string UpdatePod(string @namespace, string name, Action<V1Pod> change) =>
        Change(ResourceCatalog.Pods, @namespace, name, change, WriteOptions.TestStatus);

    /// <summary>Deletes pod <paramref name="name"/> at once (a <c>DELETED</c> event; no graceful termination); returns the new resourceVersion.</summary>
    /// <exception cref="InvalidOperationException">No such pod.</exception>
    public string DeletePod(string @namespace, string name) => Remove(ResourceCatalog.Pods, @namespace, name);
}
