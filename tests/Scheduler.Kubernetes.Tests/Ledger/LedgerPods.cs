using k8s.Models;
using Scheduler.Kubernetes.Deferral;
using Scheduler.Kubernetes.Tests.Deferral;

namespace Scheduler.Kubernetes.Tests.Ledger;

/// <summary>Pods as the Job controller, the scheduler and the kubelet leave them once they ran, for the ledger's tests.</summary>
internal static class LedgerPods
{
    /// <summary>
    /// Adds a pod of <paramref name="job"/> as the Job controller creates it (its labels name the Job and its uid),
    /// then, as the scheduler and kubelet would, puts it on <paramref name="node"/>, starts it at
    /// <paramref name="started"/> (its container two seconds later) and ends its container at <paramref name="finished"/>.
    /// </summary>
    public static V1Pod AddRan(ControllerFixture fixture, JobKey job, string name, string node, DateTimeOffset started, DateTimeOffset finished, int exitCode = 0)
    {
        fixture.Server.AddJobPod(job.Namespace, job.Name, podName: name);
        fixture.Server.UpdatePod(job.Namespace, name, pod => Ran(pod, node, started, finished, exitCode));
        return fixture.Server.GetPod(job.Namespace, name)!;
    }

    /// <summary>Shapes <paramref name="pod"/> as one that ran on <paramref name="node"/> from <paramref name="started"/> to <paramref name="finished"/>.</summary>
    public static void Ran(V1Pod pod, string node, DateTimeOffset started, DateTimeOffset finished, int exitCode = 0)
    {
        var container = pod.Spec.Containers[0];
        var id = "containerd://4f1c2b9e8d7a6c5b4a3f2e1d0c9b8a7f6e5d4c3b2a1f0e9d8c7b6a5f4e3d2c1b";
        pod.Spec.NodeName = node;
        pod.Status = new V1PodStatus
        {
            Phase = exitCode == 0 ? "Succeeded" : "Failed",
            HostIP = "10.0.3.17",
            PodIP = "10.244.2.31",
            QosClass = "Burstable",
            StartTime = started.UtcDateTime,
            Conditions =
            [
                new V1PodCondition { Type = "PodScheduled", Status = "True", LastTransitionTime = started.UtcDateTime },
                new V1PodCondition { Type = "Ready", Status = "False", Reason = "PodCompleted", LastTransitionTime = finished.UtcDateTime },
            ],
            ContainerStatuses =
            [
                new V1ContainerStatus
                {
                    Name = container.Name,
                    Image = container.Image,
                    ImageID = container.Image + "@sha256:9b2f4c1d0e8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c",
                    ContainerID = id,
                    Ready = false,
                    Started = false,
                    RestartCount = 0,
                    State = new V1ContainerState
                    {
                        Terminated = new V1ContainerStateTerminated
                        {
                            ExitCode = exitCode,
                            Reason = exitCode == 0 ? "Completed" : "Error",
                            StartedAt = started.AddSeconds(2).UtcDateTime,
                            FinishedAt = finished.UtcDateTime,
                            ContainerID = id,
                        },
                    },
                },
            ],
        };
    }
}
