using Scheduler.Core.Deferral;

namespace Scheduler.Kubernetes.Deferral;

/// <summary>A decision carried out on a Job.</summary>
/// <param name="Job">The Job.</param>
/// <param name="Action">What was done.</param>
/// <param name="Slack">For a Job left waiting, how long until its latest safe start: how close the promise is.</param>
public sealed record DeferralDecided(JobKey Job, DeferralAction Action, TimeSpan? Slack);
