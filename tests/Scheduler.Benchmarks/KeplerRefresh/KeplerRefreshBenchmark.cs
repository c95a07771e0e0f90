using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Options;
using Scheduler.Signals.Kepler;
using Scheduler.Signals.Power;
using Scheduler.Signals.Prometheus;
using Scheduler.Signals.Tests.Kepler.Fixtures;

namespace Scheduler.Benchmarks.KeplerRefresh;

/// <summary>
/// <c>kepler-refresh</c>: the time and memory of one full Kepler refresh of a large fleet against a real Prometheus.
/// </summary>
/// <remarks>
/// <para>
/// The fleet's history (<see cref="KeplerFleet"/>, rewrite schema, 5-minute steps) is written as OpenMetrics and
/// backfilled with promtool into a fresh Prometheus, which then scrapes a live exporter per node every 5 seconds
/// until the 120-second reading window is full of raw samples. The exporters are then stopped and every read asks
/// about one instant just before, so each run answers the same question and nothing is ingested meanwhile.
/// </para>
/// <para>
/// Each step (<see cref="KeplerReader.ReadNodesAsync(DateTimeOffset, CancellationToken)"/>,
/// <see cref="KeplerReader.ReadHistoryAsync"/>, <see cref="PowerModelFitter.FitAll"/>) runs once cold and then
/// <see cref="KeplerRefreshSettings.Repeat"/> times, with the service's HTTP client settings and resilience pipeline.
/// The reads are then split: the same queries sent to Prometheus with their answers read but not parsed, and the
/// reader run on the recorded answers without Prometheus.
/// </para>
/// </remarks>
internal static class KeplerRefreshBenchmark
{
    /// <summary>The argument that selects this benchmark.</summary>
    public const string Command = "kepler-refresh";

    private const string Job = "kepler";
    private static readonly TimeSpan ScrapeInterval = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan HistoryStep = TimeSpan.FromMinutes(5);
    private static readonly Stopwatch Clock = Stopwatch.StartNew();

    /// <summary>Runs the benchmark and prints its tables; returns the exit code.</summary>
    public static async Task<int> RunAsync(IReadOnlyList<string> args)
    {
        if (KeplerRefreshSettings.Parse(args, out var error) is not { } settings)
        {
            await Console.Error.WriteLineAsync($"{error}\n{KeplerRefreshSettings.Usage}");
            return 2;
        }

        using var cancel = new CancellationTokenSource();

        // Ctrl+C ends the run through the finally blocks, so Prometheus and the exporters are stopped and the files deleted.
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };
        try
        {
            await RunAsync(settings, cancel.Token);
            return 0;
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            await Console.Error.WriteLineAsync("Cancelled.");
            return 130;
        }
    }

    private static async Task RunAsync(KeplerRefreshSettings settings, CancellationToken cancellationToken)
    {
        var fleet = KeplerFleet.Create(settings.Nodes, settings.Seed);
        var byName = fleet.ToDictionary(n => n.Name, StringComparer.Ordinal);
        Log($"{settings.Nodes} nodes ({fleet.Count(n => n.Kind.Gpus > 0)} with {KeplerFleet.GpuKind.Gpus} GPUs, {fleet.Count(n => n.IsNew)} new), {settings.Days.ToString(CultureInfo.InvariantCulture)} days; {Machine()}");

        // The history ends a few minutes before the live scrapes start, on a step, as if Prometheus had been scraping all along.
        var historyEnd = Truncate(DateTimeOffset.UtcNow - TimeSpan.FromMinutes(3), HistoryStep);
        var file = Path.Combine(Path.GetTempPath(), string.Create(CultureInfo.InvariantCulture, $"kepler-refresh-{Environment.ProcessId}.om"));
        try
        {
            var generating = Stopwatch.StartNew();
            var established = fleet.Where(n => !n.IsNew).Select(n => n.History).ToArray();
            new OpenMetricsHistory(KeplerSchemaVersion.Rewrite, established, historyEnd - TimeSpan.FromDays(settings.Days), historyEnd, HistoryStep, settings.Seed)
                .WriteTo(file);
            var recent = fleet.Where(n => n.IsNew).Select(n => n.History).ToArray();
            var recentText = recent.Length == 0
                ? null
                : new OpenMetricsHistory(KeplerSchemaVersion.Rewrite, recent, historyEnd - KeplerFleet.NewNodeHistory, historyEnd, HistoryStep, settings.Seed + 1).ToString();
            Log($"History written: {Mb(new FileInfo(file).Length)} of OpenMetrics in {Seconds(generating.Elapsed)}, ending {historyEnd:u}");

            using var exporters = await KeplerExporterFarm.StartAsync(settings.Nodes, settings.Seed, cancellationToken);
            var starting = Stopwatch.StartNew();
            await using var prometheus = await PrometheusServer.StartAsync(
                new PrometheusServerOptions
                {
                    Targets = exporters.HostPorts.Select(hostPort => new ScrapeTarget(Job, hostPort)).ToArray(),
                    ScrapeInterval = ScrapeInterval,
                    BackfillFile = file,
                    BackfillOpenMetrics = recentText,
                    StartTimeout = TimeSpan.FromMinutes(5),
                },
                cancellationToken);
            File.Delete(file);
            var prometheusPid = ProcFs.ChildNamed("prometheus");
            Log($"Prometheus ready at {prometheus.Url} after {Seconds(starting.Elapsed)} (promtool import included); TSDB {Mib(DirectorySize(Path.Combine(prometheus.WorkingDirectory, "data")))}");

            // Prometheus 2.42 applies its targets on a 5-second tick, so the first scrape comes about 6 s after the start.
            var scrapes = (int)Math.Ceiling(settings.ScrapeSeconds / ScrapeInterval.TotalSeconds);
            await prometheus.WaitForAsync($"min(count_over_time(up{{job=\"{Job}\"}}[1h]))", v => v >= scrapes, TimeSpan.FromSeconds(settings.ScrapeSeconds + 120), cancellationToken);
            await prometheus.WaitForAsync($"count(up{{job=\"{Job}\"}} == 1)", v => v >= settings.Nodes, TimeSpan.FromSeconds(30), cancellationToken);

            // Read at an instant before the exporters stop: a scrape that fails when they do writes staleness markers
            // from its own start on, so the instant is one scrape interval (and a second) earlier.
            var at = DateTimeOffset.UtcNow - ScrapeInterval - TimeSpan.FromSeconds(1);
            exporters.Dispose();
            await Task.Delay(ScrapeInterval + TimeSpan.FromSeconds(1), cancellationToken);
            Log($"{scrapes} scrapes of each of {settings.Nodes} exporters; exporters stopped; every read is at {at:u}");

            var results = await MeasureAsync(settings, prometheus, prometheusPid, at, byName, cancellationToken);
            Print(settings, results, fleet, byName);
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static async Task<Results> MeasureAsync(
        KeplerRefreshSettings settings,
        PrometheusServer prometheus,
        int? prometheusPid,
        DateTimeOffset at,
        IReadOnlyDictionary<string, FleetNode> fleet,
        CancellationToken cancellationToken)
    {
        // The service's settings: default options but the history length, its HTTP client, its pipeline.
        var options = new KeplerOptions { PrometheusUrl = prometheus.Url, HistoryDays = settings.Days };
        var wrapped = Options.Create(options);
        var meter = new PrometheusMeter(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) });
        using var http = new HttpClient(meter) { Timeout = TimeSpan.FromSeconds(options.QueryTimeoutSeconds + 5) };
        var reader = new KeplerReader(new PrometheusClient(http, new Uri(prometheus.Url)), wrapped, KeplerPipeline.Create(options, TimeProvider.System));
        var fitter = new PowerModelFitter(wrapped);
        var catalog = new MeasuredPowerCatalog(wrapped, new FixedTimeProvider(at));
        var results = new Results(at, LoadAverage());
        Log($"Live managed heap before the first read: {Mib(GC.GetTotalMemory(forceFullCollection: true))}");

        for (var run = 0; run <= settings.Repeat; run++)
        {
            await RefreshAsync(reader, fitter, catalog, meter, prometheusPid, at, fleet, results, cancellationToken);
            Log($"Run {run + 1} of {settings.Repeat + 1}: readings {Seconds(results.Readings[^1].Wall)}, history {Seconds(results.History[^1].Wall)}, fit {Seconds(results.Fit[^1].Wall)}");
        }

        Log($"Live managed heap after the runs (the catalog's readings and models, and the pooled buffers the answers were read into): {Mib(GC.GetTotalMemory(forceFullCollection: true))}");

        // The split: record one read's questions and answers, then ask Prometheus alone, then answer without it.
        // A new reader is recorded, so the CPU inventory (kept by a reader between model refreshes) is asked too.
        var recorder = new KeplerReader(new PrometheusClient(http, new Uri(prometheus.Url)), wrapped, KeplerPipeline.Create(options, TimeProvider.System));
        meter.Recording = true;
        var mark = meter.Count;
        await recorder.ReadNodesAsync(at, cancellationToken);
        var nodesRecorded = meter.Since(mark);
        mark = meter.Count;
        await recorder.ReadHistoryAsync(at, cancellationToken);
        var historyRecorded = meter.Since(mark);
        meter.Recording = false;

        using var plain = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }) { Timeout = http.Timeout };
        var readingsReplay = new PrometheusReplay(plain, new Uri(prometheus.Url), nodesRecorded);
        var historyReplay = new PrometheusReplay(plain, new Uri(prometheus.Url), historyRecorded);
        results.ReadingsShape = readingsReplay.Shape;
        results.HistoryShape = historyReplay.Shape;
        using var offlineHttp = new HttpClient(new RecordedPrometheus([.. nodesRecorded, .. historyRecorded]));
        var offline = new KeplerReader(new PrometheusClient(offlineHttp, new Uri(prometheus.Url)), wrapped, KeplerPipeline.Create(options, TimeProvider.System));
        for (var run = 0; run <= settings.Repeat; run++)
        {
            results.ReadingsPrometheusOnly.Add((await StepMeter.MeasureAsync(() => readingsReplay.RunAsync(cancellationToken), null, prometheusPid)).Sample);
            results.HistoryPrometheusOnly.Add((await StepMeter.MeasureAsync(() => historyReplay.RunAsync(cancellationToken), null, prometheusPid)).Sample);
            results.ReadingsOffline.Add((await StepMeter.MeasureAsync(() => offline.ReadNodesAsync(at, cancellationToken), null, null)).Sample);
            results.HistoryOffline.Add((await StepMeter.MeasureAsync(() => offline.ReadHistoryAsync(at, cancellationToken), null, null)).Sample);
            await readingsReplay.RunEachAloneAsync(cancellationToken);
            await historyReplay.RunEachAloneAsync(cancellationToken);
        }

        results.QueriesAlone = [.. readingsReplay.Alone().Select(q => ("readings", q.PromQl, q.Bytes, q.Times)), .. historyReplay.Alone().Select(q => ("history", q.PromQl, q.Bytes, q.Times))];

        Log($"Split measured: Prometheus alone and the reader on recorded answers, {settings.Repeat + 1} runs each");
        results.LoadAfter = LoadAverage();
        results.PrometheusResident = prometheusPid is { } pid ? ProcFs.StatusBytes(pid, "VmHWM") : null;
        return results;
    }

    // One refresh as KeplerService does it: readings, then history, then the fit (peers found by the readings' hardware).
    private static async Task RefreshAsync(
        KeplerReader reader,
        PowerModelFitter fitter,
        MeasuredPowerCatalog catalog,
        PrometheusMeter meter,
        int? prometheusPid,
        DateTimeOffset at,
        IReadOnlyDictionary<string, FleetNode> fleet,
        Results results,
        CancellationToken cancellationToken)
    {
        var (readings, readingSample) = await StepMeter.MeasureAsync(() => reader.ReadNodesAsync(at, cancellationToken), meter, prometheusPid);
        catalog.UpdateReadings(readings);
        results.Readings.Add(readingSample);
        results.LastReadings = readings;

        var (histories, historySample) = await StepMeter.MeasureAsync(() => reader.ReadHistoryAsync(at, cancellationToken), meter, prometheusPid);
        results.History.Add(historySample);
        results.HistoryNodes = histories.Count;
        results.HistoryPoints = histories.Count == 0 ? 0 : histories[0].CpuWatts.Length;
        results.HistoryFinitePoints = Median(histories.Select(h => (double)h.CpuWatts.Count(double.IsFinite)));

        var keys = catalog.HardwareKeys();
        var (models, fitSample) = await StepMeter.MeasureAsync(() => Task.FromResult(fitter.FitAll(histories, keys)), null, null);
        catalog.UpdateModels(models);
        results.Fit.Add(fitSample);
        results.LastModels = models;

        // The same fit without the new nodes, whose models come from their peers: what the peer path costs.
        var established = histories.Where(h => !fleet[h.Node].IsNew).ToArray();
        results.FitEstablished.Add((await StepMeter.MeasureAsync(() => Task.FromResult(fitter.FitAll(established, keys)), null, null)).Sample);
        results.EstablishedNodes = established.Length;

        // A scale-up: every fifth established node cut to its last hours, as if it had just joined, so it too learns from peers.
        var points = (int)(KeplerFleet.NewNodeHistory / TimeSpan.FromSeconds(new KeplerOptions().HistoryStepSeconds));
        bool Cut(NodeHistory history, int index) => index % 5 == 0 && !fleet[history.Node].IsNew;
        var scaledUp = histories.Select((h, i) => Cut(h, i) ? Recent(h, points) : h).ToArray();
        results.ScaledUpNewNodes = histories.Where(Cut).Count() + histories.Count(h => fleet[h.Node].IsNew);
        results.FitScaledUp.Add((await StepMeter.MeasureAsync(() => Task.FromResult(fitter.FitAll(scaledUp, keys)), null, null)).Sample);
    }

    private static NodeHistory Recent(NodeHistory history, int points)
    {
        double[] Last(double[] values)
        {
            var recent = new double[values.Length];
            Array.Fill(recent, double.NaN);
            Array.Copy(values, Math.Max(0, values.Length - points), recent, Math.Max(0, values.Length - points), Math.Min(points, values.Length));
            return recent;
        }

        return history with
        {
            CpuWatts = Last(history.CpuWatts),
            Utilisation = Last(history.Utilisation),
            GpuWatts = history.GpuWatts.ToDictionary(g => g.Key, g => Last(g.Value), StringComparer.Ordinal),
        };
    }

    private static void Print(KeplerRefreshSettings settings, Results results, IReadOnlyList<FleetNode> fleet, IReadOnlyDictionary<string, FleetNode> byName)
    {
        var n = settings.Nodes;
        var refresh = results.Readings.Zip(results.History, results.Fit).Select(t => t.First.Wall + t.Second.Wall + t.Third.Wall).ToList();
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Kepler refresh of {n:N0} nodes at {results.At:u}, {settings.Days} days of history at {new KeplerOptions().HistoryStepSeconds} s steps, reading window {new KeplerOptions().ReadingWindowSeconds} s; first run, then the median and max of {settings.Repeat} more. Load average {results.LoadBefore} before, {results.LoadAfter} after."));
        Console.WriteLine();
        Console.WriteLine("| step | requests | answers | first run | median | max | waiting on Prometheus | our CPU | Prometheus CPU |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        TimeRow("`ReadNodesAsync` (readings)", results.Readings);
        TimeRow("`ReadHistoryAsync` (history)", results.History);
        TimeRow("`FitAll` (models)", results.Fit);
        TimeRow(string.Create(CultureInfo.InvariantCulture, $"`FitAll`, the {results.EstablishedNodes:N0} established nodes only"), results.FitEstablished);
        TimeRow(string.Create(CultureInfo.InvariantCulture, $"`FitAll`, {results.ScaledUpNewNodes:N0} nodes with {KeplerFleet.NewNodeHistory.TotalHours:0} h of history (a scale-up)"), results.FitScaledUp);
        Console.WriteLine($"| one refresh (the three steps) | | | {Seconds(refresh[0])} | **{Seconds(Median(refresh.Skip(1)))}** | {Seconds(refresh.Skip(1).Max())} | | | |");

        Console.WriteLine();
        Console.WriteLine("| step | allocated | managed heap before -> peak -> live after | working set before -> peak | gen2 collections | GC pauses |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: |");
        MemoryRow("`ReadNodesAsync`", results.Readings);
        MemoryRow("`ReadHistoryAsync`", results.History);
        MemoryRow("`FitAll`", results.Fit);
        MemoryRow("`FitAll`, established only", results.FitEstablished);
        MemoryRow("`FitAll`, scale-up", results.FitScaledUp);
        Console.WriteLine();
        Console.WriteLine($"(medians of the {settings.Repeat} runs after the first; MB = 10^6 bytes, MiB = 2^20 bytes; the heap is sampled every ~1 ms, the working set is the kernel's high-water mark; Prometheus' peak resident set over the whole run: {(results.PrometheusResident is { } r ? Mib(r) : "n/a")}; GC: {(GCSettings.IsServerGC ? "server" : "workstation")})");

        Console.WriteLine();
        Console.WriteLine("| read | live (median) | Prometheus alone: same queries, answers read, not parsed | reader on recorded answers, no Prometheus | allocated on recorded answers |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: |");
        SplitRow($"readings ({results.ReadingsShape} requests)", results.Readings, results.ReadingsPrometheusOnly, results.ReadingsOffline);
        SplitRow($"history ({results.HistoryShape} requests)", results.History, results.HistoryPrometheusOnly, results.HistoryOffline);

        Console.WriteLine();
        Console.WriteLine("| read | query (each sent alone) | answer | median | max |");
        Console.WriteLine("| --- | --- | ---: | ---: | ---: |");
        foreach (var (read, promQl, bytes, times) in results.QueriesAlone)
        {
            var shown = promQl.Length > 110 ? promQl[..107] + "..." : promQl;
            Console.WriteLine($"| {read} | `{shown.Replace("|", "\\|", StringComparison.Ordinal)}` | {Mb(bytes)} | {Seconds(Median(times))} | {Seconds(times.Max())} |");
        }

        Console.WriteLine();
        PrintChecks(results, fleet, byName);

        void TimeRow(string name, List<StepSample> samples)
        {
            var measured = samples.Skip(1).ToList();
            var requests = measured.Count == 0 ? 0 : measured[^1].Requests;
            var bytes = measured.Count == 0 ? 0 : measured[^1].ResponseBytes;
            Console.WriteLine(
                $"| {name} | {(requests == 0 ? "-" : requests.ToString(CultureInfo.InvariantCulture))} | {(requests == 0 ? "-" : Mb(bytes))} " +
                $"| {Seconds(samples[0].Wall)} | **{Seconds(Median(measured.Select(s => s.Wall)))}** | {Seconds(measured.Max(s => s.Wall))} " +
                $"| {(requests == 0 ? "-" : Seconds(Median(measured.Select(s => s.WaitingOnPrometheus))))} " +
                $"| {Seconds(Median(measured.Select(s => s.Cpu)))} " +
                $"| {(requests == 0 || measured.Any(s => s.PrometheusCpu is null) ? "-" : Seconds(Median(measured.Select(s => s.PrometheusCpu!.Value))))} |");
        }

        void MemoryRow(string name, List<StepSample> samples)
        {
            var measured = samples.Skip(1).ToList();
            Console.WriteLine(
                $"| {name} | {Mb(Median(measured.Select(s => (double)s.AllocatedBytes)))} " +
                $"| {Mib(Median(measured.Select(s => (double)s.HeapBefore)))} -> {Mib(Median(measured.Select(s => (double)s.HeapPeak)))} -> {Mib(Median(measured.Select(s => (double)s.HeapAfter)))} " +
                $"| {Mib(Median(measured.Select(s => (double)s.WorkingSetBefore)))} -> {Mib(Median(measured.Select(s => (double)s.WorkingSetPeak)))} " +
                $"| {Median(measured.Select(s => (double)s.Gen2Collections)).ToString("0.#", CultureInfo.InvariantCulture)} " +
                $"| {Seconds(Median(measured.Select(s => s.GcPause)))} |");
        }

        void SplitRow(string name, List<StepSample> live, List<StepSample> prometheusOnly, List<StepSample> offline)
        {
            var p = prometheusOnly.Skip(1).ToList();
            var o = offline.Skip(1).ToList();
            Console.WriteLine(
                $"| {name} | {Seconds(Median(live.Skip(1).Select(s => s.Wall)))} " +
                $"| {Seconds(Median(p.Select(s => s.Wall)))} (max {Seconds(p.Max(s => s.Wall))}; Prometheus CPU {(p.Any(s => s.PrometheusCpu is null) ? "n/a" : Seconds(Median(p.Select(s => s.PrometheusCpu!.Value))))}) " +
                $"| {Seconds(Median(o.Select(s => s.Wall)))} (max {Seconds(o.Max(s => s.Wall))}) " +
                $"| {Mb(Median(o.Select(s => (double)s.AllocatedBytes)))} |");
        }
    }

    private static void PrintChecks(Results results, IReadOnlyList<FleetNode> fleet, IReadOnlyDictionary<string, FleetNode> byName)
    {
        var readings = results.LastReadings;
        var models = results.LastModels;
        var withWatts = readings.Where(r => r.CpuWatts is not null).ToList();
        var wattsError = withWatts.Select(r => Math.Abs(r.CpuWatts!.Value.Value - byName[r.Node].History.CpuWatts(byName[r.Node].LiveUtilisation))).ToList();
        var utilisationError = readings.Where(r => r.CpuUtilisation is not null).Select(r => Math.Abs(r.CpuUtilisation!.Value - byName[r.Node].LiveUtilisation)).ToList();
        var inventoryRight = readings.Count(r => r.Cpus == byName[r.Node].Kind.Cpus && r.CpuModel == byName[r.Node].Kind.CpuModel);
        var repairs = readings.Aggregate(default(CounterRepairs), (sum, r) => sum + r.CounterRepairs);
        var gpus = readings.Sum(r => r.Gpus.Count);
        var gpuError = readings.SelectMany(r => r.Gpus.Select(g => Math.Abs(g.Watts.Value - (FleetNode.LiveGpuBusy(int.Parse(g.Index, CultureInfo.InvariantCulture)) ? KeplerFleet.Gpu.BusyWatts : KeplerFleet.Gpu.IdleWatts)))).ToList();
        Console.WriteLine("Checks (last run):");
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"- readings: {readings.Count:N0} of {fleet.Count:N0} nodes; CPU power for {withWatts.Count:N0}, off the true power by median {Median(wattsError):0.000} W, max {Max(wattsError):0.000} W; utilisation off by max {Max(utilisationError):0.0000}; CPU count and model right for {inventoryRight:N0}; {readings.Select(r => r.HardwareKey).Distinct(StringComparer.Ordinal).Count()} hardware keys; {gpus:N0} GPUs read, off by max {Max(gpuError):0.000} W; RAPL wraps repaired {repairs.Wraps}, resets {repairs.Resets}, glitches {repairs.Glitches}"));
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"- history: {results.HistoryNodes:N0} nodes, {results.HistoryPoints:N0} points each, {results.HistoryFinitePoints:N0} with a CPU power value (median over nodes)"));

        var own = models.Where(m => !m.FromPeers).ToList();
        var peers = models.Where(m => m.FromPeers).ToList();
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"- models: {models.Count:N0} of {fleet.Count:N0} nodes ({own.Count:N0} from their own history, {peers.Count:N0} from same-hardware peers; {fleet.Count(n => n.IsNew)} nodes are new); quadratic for {models.Count(m => m.Kind == PowerCurveKind.Quadratic && byName[m.Node].History.CurveExponent > 1):N0} of {models.Count(m => byName[m.Node].History.CurveExponent > 1):N0} convex nodes and {models.Count(m => m.Kind == PowerCurveKind.Quadratic && byName[m.Node].History.CurveExponent == 1):N0} of {models.Count(m => byName[m.Node].History.CurveExponent == 1):N0} linear ones"));
        foreach (var (name, group) in new[] { ("own history", own), ("from peers", peers) })
        {
            if (group.Count == 0)
            {
                continue;
            }

            var full = group.Select(m => Math.Abs(m.Curve.MaxWatts - byName[m.Node].History.WattsAtFullLoad)).ToList();
            var fullShare = group.Select(m => Math.Abs(m.Curve.MaxWatts - byName[m.Node].History.WattsAtFullLoad) / byName[m.Node].History.WattsAtFullLoad).ToList();
            var half = group.Select(m => Math.Abs(m.Curve.WattsAt(0.5) - byName[m.Node].History.CpuWatts(0.5))).ToList();
            var idle = group.Select(m => Math.Abs(m.IdleBaselineWatts - byName[m.Node].History.IdleWatts)).ToList();
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"  - {name}: full-load watts off by median {Median(full):0.00} W ({Median(fullShare):0.00%}), p90 {Quantile(full, 0.9):0.00} W, max {Max(full):0.00} W ({Max(fullShare):0.0%}); at half load median {Median(half):0.00} W; idle baseline median {Median(idle):0.00} W; median r2 {Median(group.Select(m => m.RSquared)):0.0000}"));
        }

        var gpuModels = models.Where(m => m.Gpu is not null).ToList();
        if (gpuModels.Count > 0)
        {
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"  - GPUs: {gpuModels.Count:N0} models with GPU power; median fitted idle {Median(gpuModels.Select(m => m.Gpu!.IdleWatts)):0.0} W (true {KeplerFleet.Gpu.IdleWatts:0}), active {Median(gpuModels.Where(m => m.Gpu!.ActiveWatts is not null).Select(m => m.Gpu!.ActiveWatts!.Value)):0.0} W (true {KeplerFleet.Gpu.BusyWatts:0}; the history's GPUs change state every 5-minute step, so 10-minute rate windows also see their mean)"));
        }
    }

    private static string Machine()
    {
        var version = "prometheus (version unknown)";
        try
        {
            using var process = Process.Start(new ProcessStartInfo(PrometheusServer.FindBinary("PROMETHEUS_BIN", "prometheus"), "--version")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            });
            if (process is not null)
            {
                var output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
                process.WaitForExit();
                version = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault()?.Trim() ?? version;
            }
        }
        catch (InvalidOperationException)
        {
            // No Prometheus: the run fails later with the fixture's message.
        }

        return string.Create(
            CultureInfo.InvariantCulture,
            $"{Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}, {(GCSettings.IsServerGC ? "server" : "workstation")} GC, {version}");
    }

    private static string LoadAverage()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "n/a";
        }
    }

    private static long DirectorySize(string path) =>
        Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);

    private static DateTimeOffset Truncate(DateTimeOffset time, TimeSpan step) => new(time.UtcTicks - (time.UtcTicks % step.Ticks), TimeSpan.Zero);

    private static void Log(string message) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[{Clock.Elapsed:mm\\:ss}] {message}"));

    private static double Median(IEnumerable<double> values) => Quantile(values.ToList(), 0.5);

    private static TimeSpan Median(IEnumerable<TimeSpan> values) => TimeSpan.FromTicks((long)Median(values.Select(v => (double)v.Ticks)));

    private static double Max(List<double> values) => values.Count == 0 ? double.NaN : values.Max();

    private static double Quantile(List<double> values, double q)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }

        // Linear interpolation between order statistics (the median of an even count is the mean of the middle two).
        var sorted = values.Order().ToArray();
        var position = q * (sorted.Length - 1);
        var low = (int)Math.Floor(position);
        var high = Math.Min(low + 1, sorted.Length - 1);
        return sorted[low] + ((sorted[high] - sorted[low]) * (position - low));
    }

    private static string Seconds(TimeSpan time) =>
        time < TimeSpan.FromSeconds(1)
            ? string.Create(CultureInfo.InvariantCulture, $"{time.TotalMilliseconds:0.0} ms")
            : string.Create(CultureInfo.InvariantCulture, $"{time.TotalSeconds:0.00} s");

    private static string Mb(double bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1e6:0.0} MB");

    private static string Mib(double bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1 << 20):0.0} MiB");

    /// <summary>Everything measured, for the tables.</summary>
    private sealed class Results(DateTimeOffset at, string loadBefore)
    {
        public DateTimeOffset At { get; } = at;

        public string LoadBefore { get; } = loadBefore;

        public string LoadAfter { get; set; } = "n/a";

        public long? PrometheusResident { get; set; }

        public List<StepSample> Readings { get; } = [];

        public List<StepSample> History { get; } = [];

        public List<StepSample> Fit { get; } = [];

        public List<StepSample> FitEstablished { get; } = [];

        public List<StepSample> FitScaledUp { get; } = [];

        public int ScaledUpNewNodes { get; set; }

        public IReadOnlyList<(string Read, string PromQl, long Bytes, IReadOnlyList<TimeSpan> Times)> QueriesAlone { get; set; } = [];

        public List<StepSample> ReadingsPrometheusOnly { get; } = [];

        public List<StepSample> HistoryPrometheusOnly { get; } = [];

        public List<StepSample> ReadingsOffline { get; } = [];

        public List<StepSample> HistoryOffline { get; } = [];

        public string ReadingsShape { get; set; } = string.Empty;

        public string HistoryShape { get; set; } = string.Empty;

        public IReadOnlyList<NodeReading> LastReadings { get; set; } = [];

        public IReadOnlyList<FittedPowerModel> LastModels { get; set; } = [];

        public int HistoryNodes { get; set; }

        public int HistoryPoints { get; set; }

        public double HistoryFinitePoints { get; set; }

        public int EstablishedNodes { get; set; }
    }
}
