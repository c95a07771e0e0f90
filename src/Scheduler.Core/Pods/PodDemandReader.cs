using System.Globalization;
using Scheduler.Core.Annotations;
using Scheduler.Core.Quantities;
using Scheduler.Core.Scoring;

namespace Scheduler.Core.Pods;

/// <summary>
/// Turns a pod's resources and annotations into a <see cref="PodDemand"/>. The effective request of
/// a resource follows Kubernetes: the larger of the containers' sum and the largest init container,
/// plus pod overhead; a container with only a limit requests its limit.
/// </summary>
public sealed class PodDemandReader(ScoringOptions options)
{
    /// <summary>Reads <paramref name="pod"/>. Never throws on bad input: unreadable annotations are reported in <see cref="PodDemand.AnnotationErrors"/>.</summary>
    public PodDemand Read(PodFacts pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var cpu = EffectiveRequest(pod, "cpu");
        var gpus = 0.0;
        foreach (var resource in options.GpuResources)
        {
            gpus += EffectiveRequest(pod, resource);
        }

        var errors = new List<string>();
        TimeSpan? duration = null;
        if (pod.Annotations.TryGetValue(CarbonAnnotations.Duration, out var durationText))
        {
            if (GoDuration.TryParse(durationText, out var parsed, out var error) && parsed > TimeSpan.Zero)
            {
                duration = parsed;
            }
            else
            {
                errors.Add($"{CarbonAnnotations.Duration}: {(error.Length > 0 ? error : "the duration must be positive")}");
            }
        }

        double? maxIntensity = null;
        if (pod.Annotations.TryGetValue(CarbonAnnotations.MaxIntensity, out var capText))
        {
            if (double.TryParse(capText, NumberStyles.Float, CultureInfo.InvariantCulture, out var cap) && double.IsFinite(cap) && cap >= 0)
            {
                maxIntensity = cap;
            }
            else
            {
                errors.Add($"{CarbonAnnotations.MaxIntensity}: '{capText}' is not a number of gCO2eq/kWh (e.g. 200); the cap is ignored");
            }
        }

        return new PodDemand(pod.Name, pod.Namespace, cpu, gpus, duration, maxIntensity, errors);
    }

    private static double EffectiveRequest(PodFacts pod, string resource)
    {
        var sum = 0.0;
        foreach (var container in pod.Containers)
        {
            sum += RequestOf(container, resource);
        }

        var largestInit = 0.0;
        foreach (var container in pod.InitContainers)
        {
            largestInit = Math.Max(largestInit, RequestOf(container, resource));
        }

        var overhead = pod.Overhead.TryGetValue(resource, out var text) && ResourceQuantity.TryParse(text, out var value) ? value : 0;
        return Math.Max(sum, largestInit) + overhead;
    }

    private static double RequestOf(ContainerResources container, string resource)
    {
        if (container.Requests.TryGetValue(resource, out var request) && ResourceQuantity.TryParse(request, out var requested))
        {
            return Math.Max(0, requested);
        }

        return container.Limits.TryGetValue(resource, out var limit) && ResourceQuantity.TryParse(limit, out var limited)
            ? Math.Max(0, limited)
            : 0;
    }
}
