using Xunit.Abstractions;

namespace Scheduler.Reliability.Tests.Support;

/// <summary>Writes measured figures to the test output, and appends them to the file <c>$RELIABILITY_RESULTS</c> names, when set, for docs/reliability.md.</summary>
internal static class Report
{
    private static readonly Lock Gate = new();

    public static void Write(ITestOutputHelper output, string line)
    {
        ArgumentNullException.ThrowIfNull(output);
        output.WriteLine(line);
        if (Environment.GetEnvironmentVariable("RELIABILITY_RESULTS") is { Length: > 0 } file)
        {
            lock (Gate)
            {
                File.AppendAllText(file, $"{DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm:ss} {line}{Environment.NewLine}");
            }
        }
    }
}
