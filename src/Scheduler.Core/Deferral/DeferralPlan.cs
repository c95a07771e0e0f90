using Scheduler.Core.Planning;

namespace Scheduler.Core.Deferral;

/// <summary>When and where a held Job is to run, and why.</summary>
/// <param name="Zone">The zone chosen, or <c>null</c> when the Job runs at once without a zone choice.</param>
/// <param name="Runs">The stretches the Job is planned to run in, in time order; one for a Job run in one piece.</param>
/// <param name="LatestStart">The latest start (or resumption, for an interruptible Job) that still finishes the work a safety margin before the deadline.</param>
/// <param name="ExpectedIntensity">Mean forecast intensity over the planned runs, gCO2eq/kWh, when known.</param>
/// <param name="BaselineIntensity">Mean forecast intensity had the Job started at once, gCO2eq/kWh, when known.</param>
/// <param name="Reason">The decision in words, for the Job's annotation and Events.</param>
public sealed record DeferralPlan(
    string? Zone,
    IReadOnlyList<RunChunk> Runs,
    DateTimeOffset LatestStart,
    double? ExpectedIntensity,
    double? BaselineIntensity,
    string Reason)
{
    /// <summary>When the Job is released (first run).</summary>
    public DateTimeOffset Start => Runs[0].Start;

    /// <summary>Whether the Job is still held at <paramref name="now"/>.</summary>
    public bool HoldsAt(DateTimeOffset now) => Start > now;

    /// <summary>The expected saving against starting at once, in percent; 0 when unknown.</summary>
    public double SavedPercent => ExpectedIntensity is { } expected && BaselineIntensity is > 0 and var baseline
        ? 100 * (baseline - expected) / baseline
        : 0;
}
