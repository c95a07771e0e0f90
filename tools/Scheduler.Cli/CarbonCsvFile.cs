using Scheduler.Core.Intensity;
using Scheduler.Signals.Intensity;

namespace Scheduler.Cli;

/// <summary>
/// Reads a carbon CSV given with <c>--carbon</c> (first column a timestamp, second gCO2eq/kWh, UTC
/// when no offset) as the series every command plans or counts on.
/// </summary>
internal static class CarbonCsvFile
{
    /// <exception cref="UsageException">The file is missing or malformed; the message says where.</exception>
    public static IntensitySeries Read(string path, string option = "carbon")
    {
        var name = Path.GetFileName(path);
        using var reader = InputFile.OpenText(option, path);
        try
        {
            return IntensitySeriesFromRows.Build(IntensityCsv.Read(reader, name), TimeZoneInfo.Utc, name);
        }
        catch (FormatException e)
        {
            throw new UsageException($"--{option}: {e.Message}");
        }
    }
}
