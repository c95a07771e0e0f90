namespace Scheduler.LoadTest.Payloads;

/// <summary>The pod a generated request asks to place, reduced to what changes the extender's work.</summary>
/// <param name="Name">metadata.name.</param>
/// <param name="Namespace">metadata.namespace.</param>
/// <param name="CpuRequest">The main container's CPU request, as a quantity string.</param>
/// <param name="MemoryRequest">The main container's memory request, as a quantity string.</param>
/// <param name="Gpus">nvidia.com/gpu requested (0 for none).</param>
/// <param name="Duration">The <c>carbon-aware.io/duration</c> annotation, or <c>null</c>.</param>
/// <param name="MaxIntensity">The <c>carbon-aware.io/max-intensity</c> annotation, or <c>null</c>.</param>
internal sealed record PodShape(
    string Name,
    string Namespace,
    string CpuRequest,
    string MemoryRequest,
    int Gpus,
    string? Duration,
    double? MaxIntensity)
{
    /// <summary>A web service replica: small, no carbon annotations (the common case).</summary>
    public static PodShape WebService { get; } = new("checkout-7d9f8c6b5d-x2k4p", "shop", "500m", "512Mi", 0, null, null);

    /// <summary>
    /// A nightly batch job with a cap. 150 gCO2eq/kWh sits inside the range of the built-in profiles
    /// (FR far below, GB and US-CAL-CISO mostly above), so a sizeable share of the nodes is removed
    /// and a reason string is built for each.
    /// </summary>
    public static PodShape CappedBatch { get; } = new("nightly-etl-29012345-7xq2m", "data", "4", "16Gi", 0, "2h", 150);

    /// <summary>A single-GPU training job with a long expected run.</summary>
    public static PodShape GpuTraining { get; } = new("train-embeddings-0", "ml", "8", "64Gi", 1, "6h", null);
}
