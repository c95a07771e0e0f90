namespace Scheduler.Core.Scoring;

/// <summary>What a pod asks for, as far as its carbon cost is concerned.</summary>
/// <param name="Name">Pod name (for logs).</param>
/// <param name="Namespace">Pod namespace (for logs).</param>
/// <param name="CpuCores">Effective CPU request, in cores (0 when none is set).</param>
/// <param name="Gpus">Effective GPU request, summed over the GPU resources.</param>
/// <param name="Duration">Expected run from the <c>duration</c> annotation, or <c>null</c> for the default.</param>
/// <param name="MaxIntensityGramsPerKwh">The <c>max-intensity</c> cap, or <c>null</c> when the pod sets none.</param>
/// <param name="AnnotationErrors">Annotations that could not be read, each with why; they are ignored.</param>
public sealed record PodDemand(
    string Name,
    string Namespace,
    double CpuCores,
    double Gpus,
    TimeSpan? Duration,
    double? MaxIntensityGramsPerKwh,
    IReadOnlyList<string> AnnotationErrors)
{
    /// <summary>A pod with no requests and no annotations.</summary>
    public static PodDemand Empty(string name, string @namespace) => new(name, @namespace, 0, 0, null, null, []);
}
