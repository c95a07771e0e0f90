using System.Net;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Scheduler.Kubernetes.Tests.Fakes;

/// <summary>
/// The <c>Status</c> bodies the API server answers failures with, field for field as
/// <c>k8s.io/apimachinery/pkg/api/errors</c> builds them (<c>NewNotFound</c>, <c>NewConflict</c>, <c>NewInvalid</c>...).
/// </summary>
internal static class StatusResponses
{
    /// <summary>The message <c>NewConflict</c> carries for an update from a stale resourceVersion (<c>registry.OptimisticLockErrorMsg</c>).</summary>
    public const string ObjectModified = "the object has been modified; please apply your changes to the latest version and try again";

    // Quotes in messages as \" (Go's encoding), not \u0022.
    private static readonly JsonSerializerOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The JSON text of <paramref name="status"/>.</summary>
    public static string ToJson(JsonObject status) => status.ToJsonString(Options);

    /// <summary>A Failure Status; <paramref name="reason"/> <c>null</c> leaves it out (Go's <c>StatusReasonUnknown</c>).</summary>
    public static JsonObject Failure(int code, string? reason, string message, JsonObject? details = null)
    {
        var status = new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Failure",
            ["message"] = message,
        };
        if (reason is not null)
        {
            status["reason"] = reason;
        }

        if (details is not null)
        {
            status["details"] = details;
        }

        status["code"] = code;
        return status;
    }

    /// <summary>404 NotFound for object <paramref name="name"/> (<c>jobs.batch "x" not found</c>).</summary>
    public static JsonObject NotFound(ResourceType type, string name) =>
        Failure(404, "NotFound", $"{type.QualifiedResource} \"{name}\" not found", Details(type, name));

    /// <summary>404 for a path the server does not serve.</summary>
    public static JsonObject UnknownPath() =>
        Failure(404, "NotFound", "the server could not find the requested resource", []);

    /// <summary>409 AlreadyExists for a create of an existing name.</summary>
    public static JsonObject AlreadyExists(ResourceType type, string name) =>
        Failure(409, "AlreadyExists", $"{type.QualifiedResource} \"{name}\" already exists", Details(type, name));

    /// <summary>409 Conflict (<c>Operation cannot be fulfilled on jobs.batch "x": ...</c>).</summary>
    public static JsonObject Conflict(ResourceType type, string name, string why = ObjectModified) =>
        Failure(409, "Conflict", $"Operation cannot be fulfilled on {type.QualifiedResource} \"{name}\": {why}", Details(type, name));

    /// <summary>422 Invalid with one cause per error (<c>Job.batch "x" is invalid: spec.template: ...</c>).</summary>
    public static JsonObject Invalid(ResourceType type, string name, IReadOnlyList<FieldError> errors)
    {
        // field.ErrorList.ToAggregate: one error as is, several as [a, b].
        var aggregate = errors.Count == 1 ? errors[0].ToString() : $"[{string.Join(", ", errors)}]";
        var details = new JsonObject { ["name"] = name };
        if (type.Group.Length > 0)
        {
            details["group"] = type.Group;
        }

        details["kind"] = type.Kind;
        details["causes"] = new JsonArray([.. errors.Select(e => (JsonNode)new JsonObject { ["reason"] = e.Reason, ["message"] = e.Body, ["field"] = e.Field })]);
        if (name.Length == 0)
        {
            details.Remove("name");
        }

        return Failure(422, "Invalid", $"{type.QualifiedKind} \"{name}\" is invalid: {aggregate}", details);
    }

    /// <summary>
    /// The 422 a JSON patch that cannot be applied gets (a failed <c>test</c>, a missing path): the API server
    /// builds it with <c>NewGenericServerResponse(422, ...)</c>, which drops the json-patch error, so every
    /// such failure reads the same.
    /// </summary>
    public static JsonObject PatchNotApplied() =>
        Failure(422, "Invalid", "the server rejected our request due to an error in our request", []);

    /// <summary>
    /// The 422 a patch gets when its result does not decode into the kind (e.g. <c>spec.suspend: "yes"</c>):
    /// <c>NewInvalid</c> with a <c>patch</c> field error.
    /// </summary>
    public static JsonObject PatchResultInvalid(string patched, string error)
    {
        var cause = FieldError.Invalid("patch", patched, error);
        return Failure(422, "Invalid", $" \"\" is invalid: {cause}", new JsonObject
        {
            ["causes"] = new JsonArray(new JsonObject { ["reason"] = cause.Reason, ["message"] = cause.Body, ["field"] = cause.Field }),
        });
    }

    /// <summary>400 BadRequest.</summary>
    public static JsonObject BadRequest(string message) => Failure(400, "BadRequest", message);

    /// <summary>405 for a verb the resource does not serve.</summary>
    public static JsonObject MethodNotAllowed() =>
        Failure(405, "MethodNotAllowed", "the server does not allow this method on the requested resource", []);

    /// <summary>415 for a patch of a content type the fake does not apply.</summary>
    public static JsonObject UnsupportedMediaType(IEnumerable<string> accepted) =>
        Failure(415, "UnsupportedMediaType", $"the body of the request was in an unknown format - accepted media types include: {string.Join(", ", accepted)}");

    /// <summary>
    /// 429 TooManyRequests as priority and fairness answers it (<c>apfRejectRequest</c>), with the seconds to wait
    /// in its details (and in the <c>Retry-After</c> header).
    /// </summary>
    public static JsonObject TooManyRequests(int retryAfterSeconds) =>
        Failure(429, "TooManyRequests", "Too many requests, please try again later.", new JsonObject { ["retryAfterSeconds"] = retryAfterSeconds });

    /// <summary>410 Expired.</summary>
    public static JsonObject Expired(string message) => Failure(410, "Expired", message);

    /// <summary>
    /// 500 for an error the API server has no Status for (it answers those with the error text and no reason),
    /// e.g. <c>resourceVersion should not be set on objects to be created</c>.
    /// </summary>
    public static JsonObject InternalError(string message) => Failure(500, null, message);

    /// <summary>The Success Status a DELETE that removed the object at once answers with.</summary>
    public static JsonObject Deleted(ResourceType type, string name, string? uid)
    {
        var details = Details(type, name);
        if (uid is not null)
        {
            details["uid"] = uid;
        }

        return new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Success",
            ["details"] = details,
        };
    }

    /// <summary>A Status for an injected failure: <paramref name="code"/> with its usual reason.</summary>
    public static JsonObject Injected(HttpStatusCode code, string? reason, string? message) =>
        Failure((int)code, reason ?? ReasonOf(code), message ?? $"Internal error occurred: injected failure ({(int)code})");

    private static JsonObject Details(ResourceType type, string name)
    {
        // StatusDetails: name, group (omitted for the core group), and kind set to the resource (plural), as the API server does.
        var details = new JsonObject { ["name"] = name };
        if (type.Group.Length > 0)
        {
            details["group"] = type.Group;
        }

        details["kind"] = type.Plural;
        return details;
    }

    private static string ReasonOf(HttpStatusCode code) => code switch
    {
        HttpStatusCode.BadRequest => "BadRequest",
        HttpStatusCode.Unauthorized => "Unauthorized",
        HttpStatusCode.Forbidden => "Forbidden",
        HttpStatusCode.NotFound => "NotFound",
        HttpStatusCode.Conflict => "Conflict",
        HttpStatusCode.Gone => "Expired",
        HttpStatusCode.UnprocessableEntity => "Invalid",
        HttpStatusCode.TooManyRequests => "TooManyRequests",
        HttpStatusCode.ServiceUnavailable => "ServiceUnavailable",
        HttpStatusCode.GatewayTimeout => "Timeout",
        _ => "InternalError",
    };
}
