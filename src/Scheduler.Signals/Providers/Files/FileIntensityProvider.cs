using Scheduler.Core.Intensity;
using Scheduler.Signals.Intensity;

namespace Scheduler.Signals.Providers.Files;

/// <summary>
/// Forecasts and actuals from a file (<c>Type=File</c>): a CSV of <c>timestamp,gCO2eq/kWh</c> or the
/// Carbon Aware SDK's emissions JSON. The file is re-read when it changes, so an external job can keep
/// it current; a broken new version leaves the last good one in use.
/// </summary>
/// <remarks>
/// The format is chosen by extension (<c>.csv</c>, <c>.json</c>), otherwise by the first character.
/// The SDK location is <see cref="CarbonZoneOptions.Region"/>, or the zone name when that is not set;
/// records without a location serve every zone. Offset-less CSV and JSON times are UTC.
/// </remarks>
public sealed class FileIntensityProvider : IIntensityProvider
{
    private readonly string _path;
    private readonly string? _location;
    private readonly Lock _gate = new();

    // Guarded by _gate.
    private (DateTime LastWriteUtc, long Length)? _seen;
    private FileIntensityContent? _good;
    private Exception? _lastError;

    /// <summary>Creates the provider; the file is first read on the first call.</summary>
    /// <param name="options">The zone's settings: <c>Path</c> (required) and <c>Region</c> (optional SDK location).</param>
    /// <exception cref="ArgumentException"><c>Path</c> is not set.</exception>
    public FileIntensityProvider(CarbonZoneOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrWhiteSpace(options.Path))
        {
            throw new ArgumentException("A File intensity source needs Path.", nameof(options));
        }

        _path = Path.GetFullPath(options.Path);
        _location = string.IsNullOrWhiteSpace(options.Region) ? null : options.Region.Trim();
    }

    /// <inheritdoc />
    public string Name => "file";

    /// <inheritdoc />
    /// <remarks>The forecast is the file's data from the step containing <paramref name="now"/> onward.</remarks>
    public Task<IntensityForecast?> GetForecastAsync(string zone, DateTimeOffset now, CancellationToken cancellationToken)
    {
        try
        {
            ArgumentNullException.ThrowIfNull(zone);
            cancellationToken.ThrowIfCancellationRequested();
            var series = SeriesFor(zone);
            if (now >= series.End)
            {
                throw new IntensityProviderException(Name, ProviderErrorKind.NoData, $"{_path} ends at {series.End:O}, before {now:O}");
            }

            var first = now <= series.Start ? 0 : (int)((now - series.Start).Ticks / series.Step.Ticks);
            var rest = first == 0 ? series : new IntensitySeries(series.Start + (series.Step * first), series.Step, series.Values[first..].ToArray());
            return Task.FromResult<IntensityForecast?>(new IntensityForecast(zone, rest, now, Name, IntensitySignal.Average));
        }
        catch (Exception e)
        {
            return Task.FromException<IntensityForecast?>(e);
        }
    }

    /// <inheritdoc />
    /// <remarks>Every step of the file that overlaps the period, oldest first.</remarks>
    public Task<IReadOnlyList<IntensityReading>> GetActualsAsync(string zone, DateTimeOffset periodStart, DateTimeOffset periodEnd, CancellationToken cancellationToken)
    {
        try
        {
            ArgumentNullException.ThrowIfNull(zone);
            cancellationToken.ThrowIfCancellationRequested();
            var series = SeriesFor(zone);
            var readings = new List<IntensityReading>();
            for (var i = 0; i < series.Count; i++)
            {
                var time = series.Start + (series.Step * i);
                if (time < periodEnd && time + series.Step > periodStart)
                {
                    readings.Add(new IntensityReading(time, series.Step, series[i]));
                }
            }

            return Task.FromResult<IReadOnlyList<IntensityReading>>(readings);
        }
        catch (Exception e)
        {
            return Task.FromException<IReadOnlyList<IntensityReading>>(e);
        }
    }

    private IntensitySeries SeriesFor(string zone)
    {
        var content = Current();
        if (content.Series.TryGetValue(FileIntensityContent.AnyLocation, out var any) && content.Series.Count == 1 && content.Problems.Count == 0)
        {
            return any;
        }

        var location = _location ?? zone;
        if (content.Series.TryGetValue(location, out var series))
        {
            return series;
        }

        if (content.Problems.TryGetValue(location, out var problem))
        {
            throw new IntensityProviderException(Name, ProviderErrorKind.Malformed, problem);
        }

        var locations = content.Series.Keys.Where(k => k.Length > 0).Order(StringComparer.Ordinal).ToList();
        var listed = string.Join(", ", locations.Take(10)) + (locations.Count > 10 ? ", …" : string.Empty);
        throw new IntensityProviderException(Name, ProviderErrorKind.NoData, $"{_path} has no location '{location}'; it has {locations.Count}: {listed}");
    }

    /// <summary>The newest good content, re-reading the file only when its last-write time or length changed.</summary>
    private FileIntensityContent Current()
    {
        lock (_gate)
        {
            var info = new FileInfo(_path);
            if (!info.Exists)
            {
                // A file replaced by rename is briefly absent; the last good version bridges that.
                return _good ?? throw new IntensityProviderException(Name, ProviderErrorKind.NoData, $"{_path} does not exist");
            }

            var stamp = (info.LastWriteTimeUtc, info.Length);
            if (_seen != stamp)
            {
                try
                {
                    var text = File.ReadAllText(_path);
                    _seen = stamp;
                    try
                    {
                        _good = Parse(text);
                        _lastError = null;
                    }
                    catch (FormatException e)
                    {
                        // Remembering the stamp means a broken version is parsed once, not on every call;
                        // the next write changes the stamp and is tried again.
                        _lastError = e;
                    }
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    // The stamp is not remembered: a writer holding the file is retried on the next call.
                    if (_good is null)
                    {
                        throw new IntensityProviderException(Name, ProviderErrorKind.Server, $"{_path} cannot be read: {e.Message}", inner: e);
                    }
                }
            }

            return _good ?? throw new IntensityProviderException(Name, ProviderErrorKind.Malformed, _lastError?.Message ?? $"{_path} has no usable data", inner: _lastError);
        }
    }

    private FileIntensityContent Parse(string text)
    {
        if (IsJson(text))
        {
            return SdkEmissionsJson.Parse(text, _path);
        }

        using var reader = new StringReader(text);
        var rows = IntensityCsv.Read(reader, _path);
        var series = IntensitySeriesFromRows.Build(rows, TimeZoneInfo.Utc, _path);
        return new FileIntensityContent(
            new Dictionary<string, IntensitySeries>(StringComparer.OrdinalIgnoreCase) { [FileIntensityContent.AnyLocation] = series },
            new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase));
    }

    private bool IsJson(string text)
    {
        var extension = Path.GetExtension(_path);
        if (string.Equals(extension, ".json", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        if (string.Equals(extension, ".csv", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var first = text.TrimStart('\uFEFF', ' ', '\t', '\r', '\n');
        return first.StartsWith('{') || first.StartsWith('[');
    }
}
