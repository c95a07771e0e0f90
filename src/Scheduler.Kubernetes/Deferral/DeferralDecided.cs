using Scheduler.Core.Deferral;

namespace Scheduler.Kubernetes.Deferral;

/// <summary>A decision carried out on a Job or Pod.</summary>
/// <param name="Job">The Job or Pod (<see cref="JobKey.Kind"/>).</param>
/// <param name="Action">What was done.</param>
/// <param name="Slack">For one left waiting, how long until its latest safe start: how close the promise is.</param>
public sealed record DeferralDecided(JobKey Job, DeferralAction Action, TimeSpan? Slack);
