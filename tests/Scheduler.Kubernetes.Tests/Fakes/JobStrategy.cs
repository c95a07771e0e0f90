using System.Text.Json.Nodes;
using static Scheduler.Kubernetes.Tests.Fakes.JsonObjects;

namespace Scheduler.Kubernetes.Tests.Fakes;

/// <summary>
/// The API server's rules for <c>batch/v1</c> Jobs (<c>pkg/registry/batch/job/strategy.go</c>,
/// <c>pkg/apis/batch/v1/defaults.go</c>, <c>pkg/apis/batch/validation</c>), as far as a controller that
/// holds and releases Jobs can tell them apart:
/// <list type="bullet">
/// <item>defaults: <c>suspend: false</c>, <c>parallelism</c>/<c>completions</c> 1, <c>backoffLimit</c> 6,
/// <c>completionMode: NonIndexed</c>, <c>podReplacementPolicy</c>, the pod template's <c>dnsPolicy</c>,
/// <c>schedulerName</c>, <c>terminationGracePeriodSeconds</c>, <c>securityContext</c> and container defaults;</item>
/// <item>on create: the status is cleared, the selector <c>batch.kubernetes.io/controller-uid=UID</c> and the
/// template labels (<c>batch.kubernetes.io/job-name</c>, <c>job-name</c>, both controller-uid labels) are
/// generated, and the Job takes the template's labels when it has none;</item>
/// <item>on update: the status cannot be changed (it has its own subresource), and <c>spec.template</c>,
/// <c>spec.selector</c> and <c>spec.completionMode</c> are immutable, except that a suspended Job that never
/// started may change its template's node affinity, node selector, tolerations, labels and annotations,
/// and a suspended Job its scheduling gates (KEP-2926 as of Kubernetes 1.34);</item>
/// <item>validation: containers are required and <c>restartPolicy</c> must be <c>OnFailure</c> or <c>Never</c>.</item>
/// </list>
/// </summary>
internal sealed class JobStrategy : ResourceStrategy
{
    /// <summary>The strategy of Jobs.</summary>
    public static readonly JobStrategy Instance = new();

    /// <summary>The label the API server selects a Job's pods by (<c>batch.ControllerUidLabel</c>).</summary>
    public const string ControllerUidLabel = "batch.kubernetes.io/controller-uid";

    /// <summary>The label with the Job's name on its pods (<c>batch.JobNameLabel</c>).</summary>
    public const string JobNameLabel = "batch.kubernetes.io/job-name";

    private const string LegacyControllerUidLabel = "controller-uid";
    private const string LegacyJobNameLabel = "job-name";

    // The template fields a suspended Job that never started may change (KEP-2926), and where they are.
    private static readonly string[] MutableSchedulingDirectives = ["affinity", "nodeSelector", "tolerations"];
    private static readonly string[] MutableTemplateMetadata = ["labels", "annotations"];

    /// <inheritdoc />
    public override bool TracksGeneration => true;

    /// <inheritdoc />
    public override void ApplyDefaults(JsonObject json)
    {
        // SetDefaults_Job.
        var spec = ObjectAt(json, "spec");
        if (!Has(spec, "completions") && !Has(spec, "parallelism"))
        {
            spec["completions"] = 1;
            spec["parallelism"] = 1;
        }

        spec["parallelism"] ??= 1;
        spec["backoffLimit"] ??= Has(spec, "backoffLimitPerIndex") ? int.MaxValue : 6;
        if (At(spec, "template", "metadata", "labels") is JsonObject templateLabels && At(json, "metadata", "labels") is not JsonObject { Count: > 0 })
        {
            Metadata(json)["labels"] = templateLabels.DeepClone();
        }

        spec["completionMode"] ??= "NonIndexed";
        spec["suspend"] ??= false;
        spec["podReplacementPolicy"] ??= Has(spec, "podFailurePolicy") ? "Failed" : "TerminatingOrFailed";
        DefaultPodSpec(ObjectAt(spec, "template", "spec"));
    }

    /// <inheritdoc />
    public override void PrepareForCreate(JsonObject json)
    {
        json["status"] = new JsonObject();
        if (At(json, "spec", "manualSelector")?.GetValue<bool>() is not true)
        {
            GenerateSelector(json);
        }

        // The API server defaults again when it reads the stored Job back, so a Job without labels
        // takes the template's, generated ones included.
        ApplyDefaults(json);
    }

    /// <inheritdoc />
    public override void PrepareForUpdate(JsonObject updated, JsonObject old) => CopyProperty(old, updated, "status");

    /// <inheritdoc />
    public override IEnumerable<FieldError> ValidateCreate(JsonObject json, ResourceType requestedAs)
    {
        if (At(json, "spec", "template", "spec", "containers") is not JsonArray { Count: > 0 })
        {
            yield return FieldError.Required("spec.template.spec.containers");
        }

        var restartPolicy = StringAt(json, "spec", "template", "spec", "restartPolicy") ?? string.Empty;
        if (restartPolicy is not ("OnFailure" or "Never"))
        {
            yield return FieldError.NotSupported("spec.template.spec.restartPolicy", restartPolicy, "OnFailure", "Never");
        }
    }

    /// <inheritdoc />
    public override IEnumerable<FieldError> ValidateUpdate(JsonObject updated, JsonObject old, ResourceType requestedAs)
    {
        foreach (var error in ValidateCreate(updated, requestedAs))
        {
            yield return error;
        }

        // Copies, so that comparing them adds nothing to the stored objects.
        var template = At(updated, "spec", "template") is JsonObject newTemplate ? Copy(newTemplate) : [];
        var allowed = At(old, "spec", "template") is JsonObject oldTemplate ? Copy(oldTemplate) : [];
        var suspended = At(old, "spec", "suspend")?.GetValue<bool>() is true;
        if (suspended && At(old, "status", "startTime") is null)
        {
            foreach (var field in MutableSchedulingDirectives)
            {
                CopyProperty(ObjectAt(template, "spec"), ObjectAt(allowed, "spec"), field);
            }

            foreach (var field in MutableTemplateMetadata)
            {
                CopyProperty(ObjectAt(template, "metadata"), ObjectAt(allowed, "metadata"), field);
            }
        }

        if (suspended)
        {
            CopyProperty(ObjectAt(template, "spec"), ObjectAt(allowed, "spec"), "schedulingGates");
        }

        if (!JsonNode.DeepEquals(PruneEmpty(template), PruneEmpty(allowed)))
        {
            yield return FieldError.Immutable("spec.template", Serialize(At(updated, "spec", "template") ?? new JsonObject()));
        }

        foreach (var field in new[] { "selector", "completionMode" })
        {
            var value = At(updated, "spec", field);
            if (!JsonNode.DeepEquals(value, At(old, "spec", field)))
            {
                yield return FieldError.Immutable($"spec.{field}", value is null ? "null" : Serialize(value));
            }
        }
    }

    private static void GenerateSelector(JsonObject json)
    {
        // generateSelector: labels the user set are kept (validation would reject a conflict).
        var name = Name(json);
        var uid = Uid(json) ?? string.Empty;
        var labels = ObjectAt(json, "spec", "template", "metadata", "labels");
        foreach (var (label, value) in new[] { (LegacyJobNameLabel, name), (JobNameLabel, name), (LegacyControllerUidLabel, uid), (ControllerUidLabel, uid) })
        {
            labels[label] ??= value;
        }

        ObjectAt(json, "spec", "selector", "matchLabels")[ControllerUidLabel] ??= uid;
    }

    private static void DefaultPodSpec(JsonObject podSpec)
    {
        // SetDefaults_PodSpec and SetDefaults_Container, for the fields a Job's readers see.
        podSpec["restartPolicy"] ??= "Always";
        podSpec["dnsPolicy"] ??= "ClusterFirst";
        podSpec["terminationGracePeriodSeconds"] ??= 30;
        podSpec["securityContext"] ??= new JsonObject();
        podSpec["schedulerName"] ??= "default-scheduler";
        foreach (var list in new[] { "initContainers", "containers" })
        {
            foreach (var container in (podSpec[list] as JsonArray ?? []).OfType<JsonObject>())
            {
                container["resources"] ??= new JsonObject();
                container["terminationMessagePath"] ??= "/dev/termination-log";
                container["terminationMessagePolicy"] ??= "File";
                container["imagePullPolicy"] ??= PullPolicyOf(container["image"]?.GetValue<string>() ?? string.Empty);
            }
        }
    }

    private static string PullPolicyOf(string image)
    {
        // Always for :latest or no tag, IfNotPresent for any other tag or a digest.
        if (image.Contains('@', StringComparison.Ordinal))
        {
            return "IfNotPresent";
        }

        var lastPart = image[(image.LastIndexOf('/') + 1)..];
        var colon = lastPart.LastIndexOf(':');
        return colon < 0 || lastPart[(colon + 1)..] == "latest" ? "Always" : "IfNotPresent";
    }
}
