namespace Scheduler.Kubernetes.Admission;

/// <summary>RFC 6901 JSON Pointers.</summary>
public static class JsonPointer
{
    /// <summary>
    /// Escapes one reference token: <c>~</c> as <c>~0</c> and <c>/</c> as <c>~1</c>, in that order
    /// so the <c>~</c> of an escaped <c>/</c> is not escaped again.
    /// </summary>
    public static string Escape(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        return token.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);
    }

    /// <summary>The pointer to <paramref name="key"/> of the object at <paramref name="parent"/>, e.g. <c>/metadata/annotations/carbon-aware.io~1state</c>.</summary>
    public static string Child(string parent, string key) => $"{parent}/{Escape(key)}";
}
