using System.Runtime.InteropServices;

namespace Scheduler.LoadTest;

/// <summary>The facts a benchmark figure means nothing without: where and when it was measured.</summary>
internal static class MachineInfo
{
    public static string Describe()
    {
        var cpu = "unknown CPU";
        if (File.Exists("/proc/cpuinfo"))
        {
            cpu = File.ReadLines("/proc/cpuinfo")
                .Where(l => l.StartsWith("model name", StringComparison.Ordinal))
                .Select(l => l[(l.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim())
                .FirstOrDefault() ?? cpu;
        }

        return $"{DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC; {Environment.ProcessorCount} logical cores ({cpu}); {RuntimeInformation.OSDescription}; {RuntimeInformation.FrameworkDescription}";
    }
}
