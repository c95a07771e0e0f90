using System.Text.Json;
using Scheduler.Core.Accounting;

namespace Scheduler.Reporting;

/// <summary>
/// The JSON report: one object whose <c>jobs</c> array is written as the Jobs are accounted for, followed
/// by <c>totals</c>, <c>byNamespace</c>, <c>byTeam</c>, <c>buckets</c>, <c>zones</c>, <c>job</c> and
/// <c>assumptions</c>. Grams are gCO2eq, energy kWh, intensities gCO2eq/kWh, times ISO 8601 UTC.
/// </summary>
public sealed class JsonReportWriter : ISavingsReportWriter, IAsyncDisposable
{
    private readonly Utf8JsonWriter _json;
    private bool _started;

    /// <summary>Writes to <paramref name="output"/>.</summary>
    public JsonReportWriter(Stream output, bool indented = false)
    {
        ArgumentNullException.ThrowIfNull(output);
        _json = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = indented });
    }

    /// <inheritdoc />
    public async ValueTask WriteJobAsync(JobEmissions job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        Start();
        WriteJob(job);

        // Flushed now and then, so a large report streams rather than piles up in the buffer.
        if (_json.BytesPending > 64 * 1024)
        {
            await _json.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async ValueTask CompleteAsync(SavingsReport report, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        Start();
        _json.WriteEndArray();
        var summary = report.Summary;
        _json.WriteString("from", ReportNumbers.Time(summary.From));
        _json.WriteString("until", ReportNumbers.Time(summary.Until));
        _json.WriteString("generatedAt", ReportNumbers.Time(report.GeneratedAt));
        WriteOptional("namespace", report.Request.Namespace);
        WriteOptional("team", report.Request.Team);
        _json.WritePropertyName("totals");
        WriteTotals(summary.Total);
        WriteTotalsMap("byNamespace", summary.ByNamespace);
        WriteTotalsMap("byTeam", summary.ByTeam);
        _json.WriteString("bucketLength", summary.BucketLength.ToString("c", System.Globalization.CultureInfo.InvariantCulture));
        _json.WriteStartArray("buckets");
        foreach (var bucket in summary.Buckets)
        {
            _json.WriteStartObject();
            _json.WriteString("start", ReportNumbers.Time(bucket.Start));
            _json.WriteString("namespace", bucket.Namespace);
            WriteTotalsFields(bucket.Totals);
            _json.WriteEndObject();
        }

        _json.WriteEndArray();
        _json.WriteStartArray("zones");
        foreach (var zone in report.Zones)
        {
            _json.WriteStartObject();
            _json.WriteString("zone", zone.Zone);
            WritePoints("actual", zone.Actual);
            WritePoints("forecast", zone.Forecast);
            _json.WriteEndObject();
        }

        _json.WriteEndArray();
        if (report.Job is { } job)
        {
            _json.WritePropertyName("job");
            WriteJobDetail(job);
        }

        _json.WriteStartArray("assumptions");
        foreach (var line in report.Assumptions)
        {
            _json.WriteStringValue(line);
        }

        _json.WriteEndArray();
        _json.WriteEndObject();
        await _json.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _json.DisposeAsync();

    private void Start()
    {
        if (!_started)
        {
            _started = true;
            _json.WriteStartObject();
            _json.WriteStartArray("jobs");
        }
    }

    private void WriteJob(JobEmissions job)
    {
        var entry = job.Entry;
        var accounted = job.Status == AccountingStatus.Accounted;
        _json.WriteStartObject();
        _json.WriteString("uid", entry.Uid);
        _json.WriteString("namespace", entry.Namespace);
        _json.WriteString("name", entry.Name);
        WriteOptional("team", entry.Team);
        _json.WriteString("kind", entry.Kind);
        _json.WriteString("submitted", ReportNumbers.Time(entry.Submitted));
        WriteOptional("completed", entry.Completed is { } completed ? ReportNumbers.Time(completed) : null);
        WriteOptional("outcome", entry.Outcome);
        _json.WriteString("status", JobRow.Status(job.Status));
        WriteOptional("baselineZone", job.BaselineZone);
        _json.WriteStartArray("runs");
        foreach (var run in entry.Runs)
        {
            _json.WriteStartObject();
            _json.WriteString("start", ReportNumbers.Time(run.Start));
            _json.WriteString("end", ReportNumbers.Time(run.End));
            _json.WriteString("zone", run.Zone);
            WriteOptional("node", run.Node);
            _json.WriteEndObject();
        }

        _json.WriteEndArray();
        if (entry.Energy is { } energy)
        {
            _json.WriteNumber("energyKwh", Math.Round(energy.Kwh, 6));
            _json.WriteNumber("cpuKwh", Math.Round(energy.CpuJoules / JobEnergy.JoulesPerKwh, 6));
            _json.WriteNumber("gpuKwh", Math.Round(energy.GpuJoules / JobEnergy.JoulesPerKwh, 6));
            _json.WriteString("energySource", JobRow.SourceName(energy.Source));
        }

        if (accounted)
        {
            _json.WriteNumber("emittedGrams", Math.Round(job.EmittedGrams, 3));
            _json.WriteNumber("baselineGrams", Math.Round(job.BaselineGrams, 3));
            _json.WriteNumber("savedGrams", Math.Round(job.SavedGrams, 3));
            _json.WriteNumber("savedPercent", Math.Round(job.SavedPercent, 2));
            _json.WriteNumber("temporalSavedGrams", Math.Round(job.TemporalSavedGrams, 3));
            _json.WriteNumber("spatialSavedGrams", Math.Round(job.SpatialSavedGrams, 3));
            _json.WriteNumber("holdingGrams", Math.Round(job.HoldingGrams, 3));
            _json.WriteNumber("sciGrams", Math.Round(job.SciGrams, 3));
            _json.WriteNumber("intensityCoverage", Math.Round(job.IntensityCoverage, 4));
            if (job.DryRunSavedGrams is { } wouldHaveSaved)
            {
                _json.WriteNumber("wouldHaveSavedGrams", Math.Round(wouldHaveSaved, 3));
            }
        }

        if (job.EmbodiedGrams is { } embodied)
        {
            _json.WriteNumber("embodiedGrams", Math.Round(embodied, 3));
        }

        if (entry.PlannedIntensity is { } planned)
        {
            _json.WriteNumber("plannedIntensity", Math.Round(planned, 1));
        }

        _json.WriteEndObject();
    }

    private void WriteJobDetail(JobDetail detail)
    {
        _json.WriteStartObject();
        _json.WritePropertyName("account");
        WriteJob(detail.Emissions);
        _json.WriteStartArray("plans");
        foreach (var plan in detail.Plans)
        {
            _json.WriteStartObject();
            _json.WriteString("at", ReportNumbers.Time(plan.At));
            _json.WriteString("plannedStart", ReportNumbers.Time(plan.PlannedStart));
            WriteOptional("zone", plan.Zone);
            _json.WriteString("latestStart", ReportNumbers.Time(plan.LatestStart));
            if (plan.ExpectedIntensity is { } expected)
            {
                _json.WriteNumber("expectedIntensity", Math.Round(expected, 1));
            }

            if (plan.BaselineIntensity is { } baseline)
            {
                _json.WriteNumber("baselineIntensity", Math.Round(baseline, 1));
            }

            _json.WriteString("reason", plan.Reason);
            _json.WriteEndObject();
        }

        _json.WriteEndArray();
        WriteZonePoints("actuals", detail.Actuals);
        WriteZonePoints("forecasts", detail.Forecasts);
        _json.WriteEndObject();
    }

    private void WriteZonePoints(string name, IReadOnlyList<IntensityPoint> points)
    {
        _json.WriteStartArray(name);
        foreach (var point in points)
        {
            _json.WriteStartObject();
            _json.WriteString("zone", point.Zone);
            _json.WriteString("at", ReportNumbers.Time(point.At));
            _json.WriteNumber("gramsPerKwh", Math.Round(point.GramsPerKwh, 2));
            _json.WriteEndObject();
        }

        _json.WriteEndArray();
    }

    private void WritePoints(string name, IReadOnlyList<(DateTimeOffset At, double GramsPerKwh)> points)
    {
        _json.WriteStartArray(name);
        foreach (var (at, value) in points)
        {
            _json.WriteStartObject();
            _json.WriteString("at", ReportNumbers.Time(at));
            _json.WriteNumber("gramsPerKwh", Math.Round(value, 2));
            _json.WriteEndObject();
        }

        _json.WriteEndArray();
    }

    private void WriteTotalsMap(string name, IReadOnlyDictionary<string, SavingsTotals> map)
    {
        _json.WriteStartObject(name);
        foreach (var (key, totals) in map)
        {
            _json.WritePropertyName(key);
            WriteTotals(totals);
        }

        _json.WriteEndObject();
    }

    private void WriteTotals(SavingsTotals totals)
    {
        _json.WriteStartObject();
        WriteTotalsFields(totals);
        _json.WriteEndObject();
    }

    private void WriteTotalsFields(SavingsTotals totals)
    {
        _json.WriteNumber("jobs", totals.Jobs);
        _json.WriteNumber("accounted", totals.Accounted);
        _json.WriteNumber("estimatedEnergy", totals.EstimatedEnergy);
        _json.WriteNumber("energyKwh", Math.Round(totals.Kwh, 6));
        _json.WriteNumber("emittedGrams", Math.Round(totals.EmittedGrams, 3));
        _json.WriteNumber("baselineGrams", Math.Round(totals.BaselineGrams, 3));
        _json.WriteNumber("savedGrams", Math.Round(totals.SavedGrams, 3));
        _json.WriteNumber("savedPercent", Math.Round(totals.SavedPercent, 2));
        _json.WriteNumber("temporalSavedGrams", Math.Round(totals.TemporalSavedGrams, 3));
        _json.WriteNumber("spatialSavedGrams", Math.Round(totals.SpatialSavedGrams, 3));
        _json.WriteNumber("holdingGrams", Math.Round(totals.HoldingGrams, 3));
        _json.WriteNumber("embodiedGrams", Math.Round(totals.EmbodiedGrams, 3));
        _json.WriteNumber("placedJobs", totals.PlacedJobs);
        if (totals.DryRunJobs > 0)
        {
            _json.WriteNumber("dryRunJobs", totals.DryRunJobs);
            _json.WriteNumber("wouldHaveSavedGrams", Math.Round(totals.DryRunWouldHaveSavedGrams, 3));
        }
    }

    private void WriteOptional(string name, string? value)
    {
        if (value is not null)
        {
            _json.WriteString(name, value);
        }
    }
}
