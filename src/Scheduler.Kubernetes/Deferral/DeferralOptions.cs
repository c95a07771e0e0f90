using System.Globalization;
using System.Text.RegularExpressions;
using Scheduler.Core.Deferral;

namespace Scheduler.Kubernetes.Deferral;

/// <summary>Deferral of annotated Jobs (configuration section <c>Deferral</c>).</summary>
public sealed partial class DeferralOptions
{
    /// <summary>The configuration section name.</summary>
    public const string SectionName = "Deferral";

    /// <summary>The default gate added to <c>kueue.x-k8s.io/admission-gated-by</c>.</summary>
    public const string DefaultKueueGate = "carbon-aware.io/deferral";

    /// <summary>
    /// <c>true</c> to hold annotated Jobs at admission. Default <c>false</c>: a Job held without the
    /// controller that releases it would never run, so nothing is held until it is switched on.
    /// </summary>
    public bool Enabled { get; set; }

    /// <summary><c>true</c> to hold nothing anywhere: the controller only records what it would do.</summary>
    public bool DryRun { get; set; }

    /// <summary>
    /// <c>true</c> (the default) to hold bare Pods too: the webhook <c>POST /mutate/pods</c> gates them, and the
    /// leader watches Pods and lifts the gates. Only Pods with our gate or our state annotation are acted on, so
    /// the default changes nothing until Pods are routed to the webhook. <c>false</c>: the webhook leaves Pods
    /// untouched and the controller does not watch them (RBAC then needs no access to Pods beyond <c>list</c>, with
    /// which the carbon ledger finds a finished Job's pods to measure their energy).
    /// </summary>
    public bool Pods { get; set; } = true;

    /// <summary>Namespaces in dry run while the others are held for real (ignored when <see cref="DryRun"/> is set).</summary>
    public List<string> DryRunNamespaces { get; set; } = [];

    /// <summary>Minutes kept free before a deadline. Default 15.</summary>
    public int SafetyMarginMinutes { get; set; } = 15;

    /// <summary>How much cleaner, in percent, a plan must be to hold a Job or move its release. Default 5.</summary>
    public double MinimumImprovementPercent { get; set; } = 5;

    /// <summary>The shortest stretch, in minutes, an interruptible Job runs before it may be suspended again. Default 30.</summary>
    public int MinimumRunMinutes { get; set; } = 30;

    /// <summary>The most times an interruptible Job is suspended. Default 4.</summary>
    public int MaxInterruptions { get; set; } = 4;

    /// <summary>The gate a Kueue-managed Job is held by, in <c>kueue.x-k8s.io/admission-gated-by</c>. Default <c>carbon-aware.io/deferral</c>.</summary>
    public string KueueGate { get; set; } = DefaultKueueGate;

    /// <summary>The namespace of the Lease replicas elect the controller's leader on. Default <c>POD_NAMESPACE</c>, else <c>carbon-aware-system</c>.</summary>
    public string LeaseNamespace { get; set; } = Environment.GetEnvironmentVariable("POD_NAMESPACE") is { Length: > 0 } ns ? ns : "carbon-aware-system";

    /// <summary>The Lease's name. Default <c>carbon-aware-deferral</c>.</summary>
    public string LeaseName { get; set; } = "carbon-aware-deferral";

    /// <summary>How long a leader's Lease lasts without renewal, in seconds. Default 15, as kube-scheduler's.</summary>
    public int LeaseDurationSeconds { get; set; } = 15;

    /// <summary>How often the leader decides on every Job with carbon annotations again, in minutes. Default 5.</summary>
    public int ResyncMinutes { get; set; } = 5;

    /// <summary>How long a Job whose decision failed (API unreachable) waits before it is tried again, in seconds. Default 10.</summary>
    public int RetrySeconds { get; set; } = 10;

    /// <summary>
    /// The labels a Job's (or bare Pod's) team is read from for the carbon ledger, the first one set winning. Empty
    /// (the default): <see cref="DefaultTeamLabels"/>. A configured list replaces the default rather than adding to
    /// it (<c>Deferral__TeamLabels__0=owner</c>), which is why the list does not start out filled.
    /// </summary>
    public List<string> TeamLabels { get; set; } = [];

    /// <summary>
    /// How far back, in hours, the completion of a finished dry-run Job is still recorded into the carbon ledger with
    /// its run and energy. Default 24. A dry-run Job is recorded once per process; the horizon keeps a restarted
    /// leader, which lists every Job, from measuring the energy of the whole history again.
    /// </summary>
    public int LedgerHorizonHours { get; set; } = 24;

    /// <summary>
    /// <c>true</c> (the default) to record into the carbon ledger the Jobs the extender placed without holding them:
    /// once such a Job has finished, its run and its energy, as for a dry-run Job, within <see cref="LedgerHorizonHours"/>.
    /// A Job counts as placed by the extender when it has no carbon annotations and its pod template names one of
    /// <see cref="LedgerSchedulerNamesInForce"/>.
    /// </summary>
    public bool LedgerPlacedJobs { get; set; } = true;

    /// <summary>
    /// The <c>schedulerName</c>s of the schedulers that call the extender. Empty (the default):
    /// <see cref="DefaultLedgerSchedulerNames"/>. With the extender configured in the default scheduler, list
    /// <c>default-scheduler</c> (<c>Deferral__LedgerSchedulerNames__0=default-scheduler</c>); a configured list replaces
    /// the default.
    /// </summary>
    public List<string> LedgerSchedulerNames { get; set; } = [];

    /// <summary>The scheduler names in force when <see cref="LedgerSchedulerNames"/> is empty: the profile <c>carbon-aware</c>.</summary>
    public static IReadOnlyList<string> DefaultLedgerSchedulerNames { get; } = ["carbon-aware"];

    /// <summary>The scheduler names in force: <see cref="LedgerSchedulerNames"/>, or <see cref="DefaultLedgerSchedulerNames"/> when it is empty.</summary>
    public IReadOnlyList<string> LedgerSchedulerNamesInForce => LedgerSchedulerNames.Count > 0 ? LedgerSchedulerNames : DefaultLedgerSchedulerNames;

    /// <summary>The team labels read when <see cref="TeamLabels"/> is empty: <c>carbon-aware.io/team</c>, then <c>team</c>.</summary>
    public static IReadOnlyList<string> DefaultTeamLabels { get; } = ["carbon-aware.io/team", "team"];

    /// <summary>The team labels in force: <see cref="TeamLabels"/>, or <see cref="DefaultTeamLabels"/> when it is empty.</summary>
    public IReadOnlyList<string> TeamLabelsInForce => TeamLabels.Count > 0 ? TeamLabels : DefaultTeamLabels;

    /// <summary>Whether Jobs in <paramref name="ns"/> are in dry run.</summary>
    public bool IsDryRun(string? ns) =>
        DryRun || (ns is not null && DryRunNamespaces.Contains(ns, StringComparer.Ordinal));

    /// <summary>The planner's settings, with the run time of a Job without a <c>duration</c> annotation.</summary>
    public DeferralSettings ToSettings(TimeSpan defaultDuration) => new()
    {
        DefaultDuration = defaultDuration,
        SafetyMargin = TimeSpan.FromMinutes(SafetyMarginMinutes),
        MinimumImprovementPercent = MinimumImprovementPercent,
        MinimumRun = TimeSpan.FromMinutes(MinimumRunMinutes),
        MaxInterruptions = MaxInterruptions,
    };

    /// <summary>Every problem with these settings, one message per bad setting; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (SafetyMarginMinutes is < 0 or > 24 * 60)
        {
            errors.Add(Text($"Deferral:SafetyMarginMinutes is {SafetyMarginMinutes}; it must be between 0 and 1440 (a day)."));
        }

        if (!double.IsFinite(MinimumImprovementPercent) || MinimumImprovementPercent is < 0 or > 100)
        {
            errors.Add(Text($"Deferral:MinimumImprovementPercent is {MinimumImprovementPercent}; it must be between 0 and 100."));
        }

        if (MinimumRunMinutes is < 1 or > 24 * 60)
        {
            errors.Add(Text($"Deferral:MinimumRunMinutes is {MinimumRunMinutes}; it must be between 1 and 1440 (a day)."));
        }

        if (MaxInterruptions is < 0 or > 100)
        {
            errors.Add(Text($"Deferral:MaxInterruptions is {MaxInterruptions}; it must be between 0 and 100."));
        }

        if (LeaseDurationSeconds is < 5 or > 300)
        {
            errors.Add(Text($"Deferral:LeaseDurationSeconds is {LeaseDurationSeconds}; it must be between 5 and 300."));
        }

        if (ResyncMinutes is < 1 or > 24 * 60)
        {
            errors.Add(Text($"Deferral:ResyncMinutes is {ResyncMinutes}; it must be between 1 and 1440 (a day)."));
        }

        if (LedgerHorizonHours is < 1 or > 24 * 366)
        {
            errors.Add(Text($"Deferral:LedgerHorizonHours is {LedgerHorizonHours}; it must be between 1 and 8784 (a year)."));
        }

        if (RetrySeconds is < 1 or > 3600)
        {
            errors.Add(Text($"Deferral:RetrySeconds is {RetrySeconds}; it must be between 1 and 3600."));
        }

        if (!NamespaceName().IsMatch(LeaseNamespace ?? string.Empty) || string.IsNullOrWhiteSpace(LeaseName))
        {
            errors.Add($"Deferral:LeaseNamespace '{LeaseNamespace}' and Deferral:LeaseName '{LeaseName}' must name a namespace and a Lease.");
        }

        // Kueue reads the annotation as a comma-separated list, so a comma would split our gate in two.
        if (string.IsNullOrWhiteSpace(KueueGate) || KueueGate.Contains(',', StringComparison.Ordinal) || KueueGate.Any(char.IsWhiteSpace))
        {
            errors.Add($"Deferral:KueueGate '{KueueGate}' must be a gate name without commas or spaces, e.g. {DefaultKueueGate}.");
        }

        foreach (var ns in DryRunNamespaces)
        {
            if (ns is null || !NamespaceName().IsMatch(ns))
            {
                errors.Add($"Deferral:DryRunNamespaces has '{ns}', which is not a namespace name (lower-case letters, digits and '-', at most 63); list one namespace per entry (Deferral__DryRunNamespaces__0, __1, ...).");
            }
        }

        foreach (var label in TeamLabels)
        {
            if (label is null || !LabelKey().IsMatch(label))
            {
                errors.Add($"Deferral:TeamLabels has '{label}', which is not a label key (an optional DNS prefix and '/', then at most 63 letters, digits, '-', '_' or '.'); list one label per entry (Deferral__TeamLabels__0, __1, ...).");
            }
        }

        foreach (var name in LedgerSchedulerNames)
        {
            if (string.IsNullOrWhiteSpace(name) || name.Trim() != name)
            {
                errors.Add($"Deferral:LedgerSchedulerNames has '{name}', which is not a scheduler name; list one name per entry (Deferral__LedgerSchedulerNames__0, __1, ...).");
            }
        }

        return errors;
    }

    private static string Text(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    // RFC 1123 label, as the API server requires of namespace names.
    [GeneratedRegex("^(?=.{1,63}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?$", RegexOptions.CultureInvariant)]
    private static partial Regex NamespaceName();

    // A label key as the API server accepts it: an optional DNS subdomain prefix (at most 253) and '/', then a name
    // of at most 63 that starts and ends with a letter or digit.
    [GeneratedRegex("^(?:(?=[^/]{1,253}/)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?(?=[^/]{1,63}$)[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$", RegexOptions.CultureInvariant)]
    private static partial Regex LabelKey();
}
