namespace Scheduler.Deferral.Tests.Support;

/// <summary>The wall-clock timeline the fault tests share, and the bounds they hold the service to.</summary>
internal static class Timeline
{
    /// <summary>
    /// How far ahead of the forecast's writing its clean slot is put. The service's start-up, leader election and
    /// the planning of the Jobs come first (a few seconds), and the fault must still come before the slot.
    /// </summary>
    public static readonly TimeSpan CleanSlotAhead = TimeSpan.FromSeconds(35);

    /// <summary>The Jobs' duration: the length of the clean slot, three forecast steps.</summary>
    public static readonly TimeSpan Run = TimeSpan.FromSeconds(30);

    /// <summary>How long after its planned start a Job may still start and meet its deadline (the deadline is the planned end plus this).</summary>
    public static readonly TimeSpan Slack = TimeSpan.FromSeconds(90);

    /// <summary>
    /// The bound on a release: no later than this after the planned start, or after the moment the service came back
    /// when it was down at the planned start. It covers the start of a new process (a few seconds), the Lease of a
    /// killed leader running out (<c>Deferral__LeaseDurationSeconds</c> = 5, counted from when the new process
    /// first sees it) and the reconcile of every Job on start-up; a machine busy with other test runs needs the rest.
    /// </summary>
    public static readonly TimeSpan Tolerance = TimeSpan.FromSeconds(20);

    /// <summary>
    /// The bound on a release by a service that was up and leading at the planned start: its in-process timer fires
    /// at that time, and a decision is a few API calls, so only a machine busy with other test runs needs this much.
    /// </summary>
    public static readonly TimeSpan Running = TimeSpan.FromSeconds(3);

    /// <summary>The longest wait for a service to listen and lead.</summary>
    public static readonly TimeSpan StartUp = TimeSpan.FromSeconds(60);

    /// <summary>The longest wait for the leader to plan new Jobs.</summary>
    public static readonly TimeSpan Planning = TimeSpan.FromSeconds(20);

    /// <summary>How long past a bound a wait goes on, so that a late release is measured and reported rather than timed out.</summary>
    public static readonly TimeSpan Grace = TimeSpan.FromSeconds(15);

    /// <summary>How long past the planned start the service stays down in the test that keeps it down.</summary>
    public static readonly TimeSpan DownPastStart = TimeSpan.FromSeconds(5);

    /// <summary>The least time before a planned start at which a fault may be injected and still come before it.</summary>
    public static readonly TimeSpan MinimumLead = TimeSpan.FromSeconds(10);

    /// <summary>Fails with a clear message when the machine was too slow for the timeline, rather than testing something else.</summary>
    public static void AssertAhead(DateTimeOffset time, string what)
    {
        var lead = time - DateTimeOffset.UtcNow;
        Assert.True(lead >= MinimumLead, $"The timeline slipped: {what} is {lead.TotalSeconds:0.0} s away, less than {MinimumLead.TotalSeconds:0} s (start-up or planning took too long).");
    }
}
