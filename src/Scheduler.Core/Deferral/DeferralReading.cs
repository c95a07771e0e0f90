namespace Scheduler.Core.Deferral;

/// <summary>
/// What the carbon annotations of a Job say: nothing to defer (no <c>deadline</c> or
/// <c>max-delay</c>), a valid request, or problems that mean the Job runs at once (or, for a
/// strict Job, is rejected).
/// </summary>
/// <param name="Request">The request, when the annotations ask for deferral and are valid.</param>
/// <param name="Errors">What is wrong, one message per annotation; empty when valid.</param>
/// <param name="AsksForDeferral">Whether a <c>deadline</c> or <c>max-delay</c> annotation is present.</param>
/// <param name="Strict">Whether the user asked for invalid annotations to be rejected.</param>
public sealed record DeferralReading(DeferralRequest? Request, IReadOnlyList<string> Errors, bool AsksForDeferral, bool Strict)
{
    /// <summary>Whether the Job is to be held and planned.</summary>
    public bool Deferrable => Request is not null;
}
