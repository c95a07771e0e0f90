using System.Diagnostics;

namespace Scheduler.Deferral.Tests.Support;

/// <summary>Waits, within a bound, for a condition that needs I/O to check (a database query).</summary>
internal static class EventuallyAsync
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);

    /// <summary>Returns once <paramref name="condition"/> holds; fails the test, naming <paramref name="what"/> and what <paramref name="state"/> tells, if it does not within <paramref name="timeout"/>.</summary>
    public static async Task UntilAsync(Func<Task<bool>> condition, string what, Func<string> state, TimeSpan timeout)
    {
        var waited = Stopwatch.StartNew();
        while (!await condition())
        {
            if (waited.Elapsed > timeout)
            {
                Assert.Fail($"Not true within {timeout.TotalSeconds:0} s: {what}{Environment.NewLine}{state()}");
            }

            await Task.Delay(PollInterval);
        }
    }
}
