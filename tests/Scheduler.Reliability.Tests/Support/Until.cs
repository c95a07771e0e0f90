using System.Diagnostics;

namespace Scheduler.Reliability.Tests.Support;

/// <summary>Waits, within a bound, for a condition that needs I/O to check, and says how long it took.</summary>
internal static class Until
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    /// <summary>Returns the time until <paramref name="condition"/> held; fails the test, naming <paramref name="what"/> and what <paramref name="state"/> tells, if it does not within <paramref name="timeout"/>.</summary>
    public static async Task<TimeSpan> TrueAsync(Func<Task<bool>> condition, string what, TimeSpan timeout, Func<Task<string>>? state = null)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                if (await condition())
                {
                    return waited.Elapsed;
                }
            }
            catch (HttpRequestException)
            {
                // Asked again at the next poll.
            }

            if (waited.Elapsed > timeout)
            {
                Assert.Fail($"Not true within {timeout.TotalSeconds:0} s: {what}{Environment.NewLine}{(state is null ? string.Empty : await state())}");
            }

            await Task.Delay(PollInterval);
        }
    }
}
