using k8s.Models;

namespace Scheduler.Kubernetes.Tests.Fakes;

/// <summary>Jobs (and their parts) for the tests of <see cref="FakeKubernetesApiServer"/>, shaped as users write them.</summary>
internal static class TestJobs
{
    /// <summary>An annotation key with a slash, which JSON Pointers write as <c>~1</c>.</summary>
    public const string PlannedStart = "carbon-aware.io/planned-start";

    /// <summary>A training Job as a user creates it: no defaults filled in, <c>restartPolicy: Never</c>, one container.</summary>
    public static V1Job Job(string @namespace, string name, bool? suspend = true, IDictionary<string, string>? annotations = null, IDictionary<string, string>? labels = null) => new()
    {
        ApiVersion = "batch/v1",
        Kind = "Job",
        Metadata = new V1ObjectMeta
        {
            Name = name,
            NamespaceProperty = @namespace,
            Annotations = annotations is null ? null : new Dictionary<string, string>(annotations),
            Labels = labels is null ? null : new Dictionary<string, string>(labels),
        },
        Spec = new V1JobSpec
        {
            Suspend = suspend,
            Template = new V1PodTemplateSpec
            {
                Spec = new V1PodSpec
                {
                    RestartPolicy = "Never",
                    Containers =
                    [
                        new V1Container
                        {
                            Name = "train",
                            Image = "ghcr.io/example/train:1.4",
                            Args = ["--epochs", "3"],
                            Resources = new V1ResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("2") } },
                        },
                    ],
                },
            },
        },
    };

    /// <summary>A required node affinity to <c>topology.kubernetes.io/zone</c> in <paramref name="zones"/>.</summary>
    public static V1Affinity ZoneAffinity(params string[] zones) => new()
    {
        NodeAffinity = new V1NodeAffinity
        {
            RequiredDuringSchedulingIgnoredDuringExecution = new V1NodeSelector
            {
                NodeSelectorTerms =
                [
                    new V1NodeSelectorTerm
                    {
                        MatchExpressions = [new V1NodeSelectorRequirement { Key = "topology.kubernetes.io/zone", OperatorProperty = "In", Values = zones }],
                    },
                ],
            },
        },
    };
}
