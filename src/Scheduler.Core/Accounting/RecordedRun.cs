namespace Scheduler.Core.Accounting;

/// <summary>One stretch a Job ran, from its release (or resumption) to its completion (or pause).</summary>
/// <param name="Start">When it was let run.</param>
/// <param name="End">When it stopped.</param>
/// <param name="Zone">The grid zone it ran in.</param>
/// <param name="Node">The node it ran on, when known.</param>
public sealed record RecordedRun(DateTimeOffset Start, DateTimeOffset End, string Zone, string? Node = null)
{
    /// <summary>How long it ran.</summary>
    public TimeSpan Length => End > Start ? End - Start : TimeSpan.Zero;
}
