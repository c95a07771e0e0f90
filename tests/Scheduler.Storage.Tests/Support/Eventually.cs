using System.Diagnostics;

namespace Scheduler.Storage.Tests.Support;

/// <summary>Polls a condition until it holds or a deadline passes: waits are bounded, and never the assertion itself.</summary>
internal static class Eventually
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);

    /// <summary>Waits until <paramref name="condition"/> holds; fails with <paramref name="describe"/>'s text after <paramref name="timeout"/>.</summary>
    public static async Task HoldsAsync(Func<bool> condition, TimeSpan timeout, Func<string> describe)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > timeout)
            {
                Assert.Fail($"Not reached within {timeout.TotalSeconds:F0} s: {describe()}");
            }

            await Task.Delay(Interval);
        }
    }

    /// <summary>Waits until the asynchronous <paramref name="condition"/> holds.</summary>
    public static async Task HoldsAsync(Func<Task<bool>> condition, TimeSpan timeout, Func<string> describe)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            if (clock.Elapsed > timeout)
            {
                Assert.Fail($"Not reached within {timeout.TotalSeconds:F0} s: {describe()}");
            }

            await Task.Delay(Interval);
        }
    }
}
