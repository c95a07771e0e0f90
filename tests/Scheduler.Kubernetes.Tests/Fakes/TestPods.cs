using k8s.Models;

namespace Scheduler.Kubernetes.Tests.Fakes;

/// <summary>Bare Pods for the tests of <see cref="FakeKubernetesApiServer"/> and the deferral controller, as users write them.</summary>
internal static class TestPods
{
    /// <summary>Our scheduling gate, as the admission webhook adds it.</summary>
    public const string OurGate = "carbon-aware.io/deferral";

    /// <summary>
    /// A bare Pod (no owner) with one container, <c>restartPolicy: Never</c>, phase <c>Pending</c> and the scheduling
    /// gates <paramref name="gates"/> in that order.
    /// </summary>
    public static V1Pod Pod(string @namespace, string name, IDictionary<string, string>? annotations = null, params string[] gates) => new()
    {
        ApiVersion = "v1",
        Kind = "Pod",
        Metadata = new V1ObjectMeta
        {
            Name = name,
            NamespaceProperty = @namespace,
            Annotations = annotations is null ? null : new Dictionary<string, string>(annotations),
        },
        Spec = new V1PodSpec
        {
            RestartPolicy = "Never",
            SchedulingGates = gates.Length == 0 ? null : [.. gates.Select(g => new V1PodSchedulingGate { Name = g })],
            Containers =
            [
                new V1Container
                {
                    Name = "render",
                    Image = "ghcr.io/example/render:2.0",
                    Resources = new V1ResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("1") } },
                },
            ],
        },
        Status = new V1PodStatus { Phase = "Pending" },
    };

    /// <summary>The names of <paramref name="pod"/>'s scheduling gates, in order.</summary>
    public static IReadOnlyList<string> Gates(V1Pod pod) => [.. (pod.Spec.SchedulingGates ?? []).Select(g => g.Name)];
}
