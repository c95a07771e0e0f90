namespace Scheduler.Benchmarks;

/// <summary>A clock stopped at one instant, so that every run scores against the same forecast window.</summary>
internal sealed class FixedTimeProvider(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
