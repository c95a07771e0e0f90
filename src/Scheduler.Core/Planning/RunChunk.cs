namespace Scheduler.Core.Planning;

/// <summary>One uninterrupted stretch of an interruptible job's run.</summary>
/// <param name="Start">When the stretch starts (UTC).</param>
/// <param name="End">When it ends (UTC).</param>
public readonly record struct RunChunk(DateTimeOffset Start, DateTimeOffset End)
{
    /// <summary>The stretch's length.</summary>
    public TimeSpan Length => End - Start;
}
