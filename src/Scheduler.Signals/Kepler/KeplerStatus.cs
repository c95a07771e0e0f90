namespace Scheduler.Signals.Kepler;

/// <summary>How the Kepler readings stand, for health checks, metrics and logs.</summary>
/// <param name="Enabled">Whether Kepler is configured.</param>
/// <param name="Schemas">The schemas found at the last successful refresh.</param>
/// <param name="LastReadingsAt">When readings last succeeded.</param>
/// <param name="LastModelsAt">When models were last fitted.</param>
/// <param name="LastError">The last refresh's error, or <c>null</c> when it succeeded.</param>
/// <param name="NodesRead">Nodes in the last successful reading.</param>
/// <param name="ReadingsSeconds">The last readings refresh's duration.</param>
/// <param name="ModelsSeconds">The last models refresh's duration.</param>
public sealed record KeplerStatus(
    bool Enabled,
    IReadOnlyList<KeplerSchema> Schemas,
    DateTimeOffset? LastReadingsAt,
    DateTimeOffset? LastModelsAt,
    string? LastError,
    int NodesRead,
    double ReadingsSeconds,
    double ModelsSeconds)
{
    /// <summary>Nothing read yet.</summary>
    public static KeplerStatus Initial(bool enabled) => new(enabled, [], null, null, null, 0, 0, 0);
}
