using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Options;
using Scheduler.Core.Annotations;
using Scheduler.Core.Deferral;
using Scheduler.Core.Scoring;
using Scheduler.Kubernetes.Deferral;

namespace Scheduler.Kubernetes.Admission;

/// <summary>
/// What Jobs and bare Pods share at admission: whether their carbon annotations ask to be held, are
/// valid, and whether anything (the user, the settings) keeps them from being held.
/// </summary>
public sealed class DeferralAdmissionPolicy
{
    /// <summary>The warning of an object in dry run.</summary>
    public const string DryRunWarning = "dry run: the controller records what it would do";

    private readonly DeferralOptions _options;
    private readonly TimeProvider _time;

    /// <summary>Creates the policy from the <c>Deferral</c> settings and the default run time of <c>Scoring:DefaultDurationMinutes</c>.</summary>
    public DeferralAdmissionPolicy(IOptions<DeferralOptions> options, IOptions<ScoringOptions> scoring, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(scoring);
        _options = options.Value;
        _time = time;
        Settings = _options.ToSettings(scoring.Value.DefaultDuration);
    }

    /// <summary>The deferral settings.</summary>
    public DeferralOptions Options => _options;

    /// <summary>The planner settings the annotations are read with.</summary>
    public DeferralSettings Settings { get; }

    /// <summary>
    /// Decides everything but the patch: returns <c>true</c> with the decision when the object is not
    /// to be held (nothing asked, invalid annotations, or a reason not to hold it), <c>false</c> when
    /// it is to be held.
    /// </summary>
    /// <param name="annotations">The object's annotations.</param>
    /// <param name="ns">The object's namespace.</param>
    /// <param name="what">What the object is, for messages: <c>Job</c> or <c>Pod</c>.</param>
    /// <param name="heldElsewhere">Why the object must not be held whatever its annotations (e.g. the user suspended it), or <c>null</c>.</param>
    /// <param name="decision">The decision when the object is not held.</param>
    public bool TryLeave(
        IDictionary<string, string>? annotations,
        string? ns,
        string what,
        string? heldElsewhere,
        [NotNullWhen(true)] out AdmissionDecision? decision)
    {
        var readable = annotations as IReadOnlyDictionary<string, string> ?? annotations?.ToDictionary(StringComparer.Ordinal);
        var reading = DeferralRequestReader.Read(readable, _time.GetUtcNow(), Settings);
        decision = Leave(reading, ns, what, heldElsewhere);
        return decision is not null;
    }

    private AdmissionDecision? Leave(DeferralReading reading, string? ns, string what, string? heldElsewhere)
    {
        if (!reading.AsksForDeferral)
        {
            return AdmissionDecision.Untouched("no deadline or max-delay");
        }

        if (reading.Request is not { } request)
        {
            var problems = string.Join("; ", reading.Errors);
            if (reading.Strict)
            {
                return AdmissionDecision.Denied(
                    $"the {what}'s carbon-aware.io annotations are invalid and {CarbonAnnotations.Strict} is \"true\": {problems}");
            }

            // Each problem on its own line in kubectl, after one line saying what it means for the Job.
            return AdmissionDecision.Untouched(
                $"invalid annotations: {problems}",
                [$"carbon-aware.io: invalid annotations, so the {what} is not deferred and runs now (set {CarbonAnnotations.Strict}: \"true\" to have it rejected instead)", .. reading.Errors]);
        }

        if (request.ReleaseNow)
        {
            return AdmissionDecision.Untouched("release-now", $"{CarbonAnnotations.ReleaseNow} is set: the {what} is not held and runs now");
        }

        if (heldElsewhere is not null)
        {
            return AdmissionDecision.Untouched(heldElsewhere, $"carbon-aware.io: {heldElsewhere}");
        }

        // Dry run is an explicit wish to watch the decisions, so it is named even when holding is off.
        if (_options.IsDryRun(ns))
        {
            return AdmissionDecision.Untouched("dry run", DryRunWarning);
        }

        if (!_options.Enabled)
        {
            return AdmissionDecision.Untouched(
                "deferral disabled",
                $"carbon-aware.io: deferral is disabled on this cluster (Deferral:Enabled is false): the {what} is not held and runs now");
        }

        return null;
    }
}
