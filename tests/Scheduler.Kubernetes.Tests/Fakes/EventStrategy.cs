using System.Text.Json.Nodes;
using static Scheduler.Kubernetes.Tests.Fakes.JsonObjects;

namespace Scheduler.Kubernetes.Tests.Fakes;

/// <summary>
/// The API server's validation of Events (<c>ValidateEventCreate</c>/<c>ValidateEventUpdate</c>), on the
/// stored (core) form: the legacy rules for every request, and the strict rules of <c>events.k8s.io/v1</c>
/// (eventTime, type, reportingController, reportingInstance, action and reason required) for requests made
/// through that group.
/// </summary>
internal sealed class EventStrategy : ResourceStrategy
{
    /// <summary>The strategy of Events.</summary>
    public static readonly EventStrategy Instance = new();

    /// <inheritdoc />
    public override IEnumerable<FieldError> ValidateCreate(JsonObject json, ResourceType requestedAs)
    {
        var strict = requestedAs.Group.Length > 0;
        var errors = Legacy(json, strict ? "reportingController" : "reportingComponent");
        if (strict)
        {
            errors.AddRange(Strict(json));
        }

        return errors.DistinctBy(e => e.ToString());
    }

    /// <inheritdoc />
    public override IEnumerable<FieldError> ValidateUpdate(JsonObject updated, JsonObject old, ResourceType requestedAs) =>
        Legacy(updated, requestedAs.Group.Length > 0 ? "reportingController" : "reportingComponent");

    private static List<FieldError> Legacy(JsonObject json, string reportingField)
    {
        var errors = new List<FieldError>();
        var ns = Namespace(json) ?? string.Empty;
        var involvedNs = StringAt(json, "involvedObject", "namespace") ?? string.Empty;
        if (!Has(json, "eventTime"))
        {
            // An old-style Event: its namespace must be the involved object's (or default, for a cluster-scoped one).
            if (involvedNs.Length == 0 ? ns is not ("" or "default") : ns != involvedNs)
            {
                errors.Add(FieldError.Invalid("involvedObject.namespace", involvedNs, "does not match event.namespace"));
            }

            return errors;
        }

        if (involvedNs.Length == 0 && ns is not ("default" or "kube-system"))
        {
            errors.Add(FieldError.Invalid("involvedObject.namespace", involvedNs, "does not match event.namespace"));
        }

        errors.AddRange(MissingOf(json, ("reportingComponent", reportingField), ("reportingInstance", "reportingInstance"), ("action", "action"), ("reason", "reason")));
        return errors;
    }

    private static IEnumerable<FieldError> Strict(JsonObject json)
    {
        if (!Has(json, "eventTime"))
        {
            yield return FieldError.Required("eventTime");
        }

        var type = StringAt(json, "type") ?? string.Empty;
        if (type is not ("Normal" or "Warning"))
        {
            yield return FieldError.Invalid("type", string.Empty, $"has invalid value: {type}");
        }

        foreach (var error in MissingOf(json, ("reportingComponent", "reportingController"), ("reportingInstance", "reportingInstance"), ("action", "action"), ("reason", "reason")))
        {
            yield return error;
        }
    }

    private static IEnumerable<FieldError> MissingOf(JsonObject json, params (string Stored, string Reported)[] fields) =>
        fields.Where(f => string.IsNullOrEmpty(StringAt(json, f.Stored))).Select(f => FieldError.Required(f.Reported));
}
