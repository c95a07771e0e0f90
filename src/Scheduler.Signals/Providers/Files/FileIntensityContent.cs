using Scheduler.Core.Intensity;

namespace Scheduler.Signals.Providers.Files;

/// <summary>One successfully read version of an intensity file: a series per location.</summary>
/// <remarks>
/// CSV files and SDK records without a <c>Location</c> have one series, stored under the empty name,
/// which serves every zone. In a multi-location file one location can be unusable (e.g. irregular
/// steps) while the others are fine; its reason is kept in <see cref="Problems"/> so that asking for
/// it says why instead of "not found".
/// </remarks>
internal sealed class FileIntensityContent
{
    /// <summary>The name under which a file's only, location-less series is stored.</summary>
    public const string AnyLocation = "";

    /// <summary>Creates the content.</summary>
    public FileIntensityContent(IReadOnlyDictionary<string, IntensitySeries> series, IReadOnlyDictionary<string, string> problems)
    {
        Series = series;
        Problems = problems;
    }

    /// <summary>The usable series, by location (case-insensitive).</summary>
    public IReadOnlyDictionary<string, IntensitySeries> Series { get; }

    /// <summary>Why a location that appears in the file has no series.</summary>
    public IReadOnlyDictionary<string, string> Problems { get; }
}
