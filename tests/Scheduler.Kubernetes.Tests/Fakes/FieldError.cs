namespace Scheduler.Kubernetes.Tests.Fakes;

/// <summary>One validation error, as <c>k8s.io/apimachinery/pkg/util/validation/field.Error</c> reports it.</summary>
/// <param name="Reason">The cause type, e.g. <c>FieldValueInvalid</c>, <c>FieldValueRequired</c>, <c>FieldValueNotSupported</c>.</param>
/// <param name="Field">The field path, e.g. <c>spec.template</c>.</param>
/// <param name="Body">What is wrong, e.g. <c>Invalid value: "x": field is immutable</c> or <c>Required value</c>.</param>
internal sealed record FieldError(string Reason, string Field, string Body)
{
    /// <summary>A required field is missing (<c>field.Required</c>).</summary>
    public static FieldError Required(string field, string detail = "") =>
        new("FieldValueRequired", field, detail.Length == 0 ? "Required value" : $"Required value: {detail}");

    /// <summary>A field has a bad value (<c>field.Invalid</c>); <paramref name="value"/> is shown as Go shows a string.</summary>
    public static FieldError Invalid(string field, string value, string detail) =>
        new("FieldValueInvalid", field, $"Invalid value: {Quote(value)}: {detail}");

    /// <summary>A field has a value that is not one of <paramref name="supported"/> (<c>field.NotSupported</c>).</summary>
    public static FieldError NotSupported(string field, string value, params string[] supported) =>
        new("FieldValueNotSupported", field, $"Unsupported value: {Quote(value)}: supported values: {string.Join(", ", supported.Select(Quote))}");

    /// <summary>A change that is not allowed (<c>field.Forbidden</c>).</summary>
    public static FieldError Forbidden(string field, string detail) =>
        new("FieldValueForbidden", field, $"Forbidden: {detail}");

    /// <summary>A field was changed that may not be (<c>ValidateImmutableField</c>); <paramref name="valueJson"/> stands for Go's <c>%#v</c> of the value.</summary>
    public static FieldError Immutable(string field, string valueJson) =>
        new("FieldValueInvalid", field, $"Invalid value: {valueJson}: field is immutable");

    /// <inheritdoc />
    public override string ToString() => $"{Field}: {Body}";

    /// <summary>A string quoted as Go's <c>%q</c> does (for the plain text these messages carry).</summary>
    public static string Quote(string value) => "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}
