using System.Text.Json.Serialization;

namespace Scheduler.Signals.Profiles;

/// <summary>Where a carbon profile comes from.</summary>
public sealed class CarbonProfileProvenance
{
    /// <summary>The data set, e.g. its repository, branch and file.</summary>
    [JsonPropertyName("source")]
    public required string Source { get; init; }

    /// <summary>What the values measure, e.g. average life-cycle intensity.</summary>
    [JsonPropertyName("signal")]
    public required string Signal { get; init; }

    /// <summary>How the means were computed.</summary>
    [JsonPropertyName("method")]
    public required string Method { get; init; }

    /// <summary>First timestamp read (local time, ISO 8601).</summary>
    [JsonPropertyName("from")]
    public required string From { get; init; }

    /// <summary>Last timestamp read (local time, ISO 8601).</summary>
    [JsonPropertyName("to")]
    public required string To { get; init; }

    /// <summary>Rows read.</summary>
    [JsonPropertyName("rows")]
    public required int Rows { get; init; }
}
