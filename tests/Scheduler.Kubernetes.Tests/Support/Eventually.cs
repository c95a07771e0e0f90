using System.Diagnostics;

namespace Scheduler.Kubernetes.Tests.Support;

/// <summary>Waits, within a bound, for a condition that other threads make true.</summary>
internal static class Eventually
{
    /// <summary>The longest wait: far above what any condition here needs, so only a real failure reaches it.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(10);

    /// <summary>
    /// Returns once <paramref name="condition"/> holds; fails the test, naming <paramref name="what"/>
    /// and what <paramref name="state"/> then tells, if it does not within <see cref="Timeout"/>.
    /// </summary>
    public static async Task UntilAsync(Func<bool> condition, string what, Func<string>? state = null, TimeSpan? timeout = null)
    {
        var limit = timeout ?? Timeout;
        var waited = Stopwatch.StartNew();
        while (!condition())
        {
            if (waited.Elapsed > limit)
            {
                Assert.Fail($"Not true within {limit.TotalSeconds:0} s: {what}{(state is null ? string.Empty : Environment.NewLine + state())}");
            }

            await Task.Delay(PollInterval);
        }
    }
}
