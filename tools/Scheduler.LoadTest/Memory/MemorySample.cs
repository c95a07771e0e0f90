namespace Scheduler.LoadTest.Memory;

/// <summary>One reading of the server's <c>/metrics</c>.</summary>
/// <param name="Seconds">Seconds since the measured run started.</param>
/// <param name="WorkingSetBytes"><c>process_working_set_bytes</c>.</param>
/// <param name="GcHeapBytes"><c>dotnet_total_memory_bytes</c> (managed heap in use, GC.GetTotalMemory).</param>
/// <param name="PrivateBytes"><c>process_private_memory_bytes</c>.</param>
/// <param name="CpuSeconds"><c>process_cpu_seconds_total</c>.</param>
/// <param name="Gen2Collections"><c>dotnet_collection_count_total{generation="2"}</c>.</param>
/// <param name="LoadAverage">The machine's 1-minute load average, to show when other work competed for the cores.</param>
internal sealed record MemorySample(double Seconds, double WorkingSetBytes, double GcHeapBytes, double PrivateBytes, double CpuSeconds, double Gen2Collections, double LoadAverage);
