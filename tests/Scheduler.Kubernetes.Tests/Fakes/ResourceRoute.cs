namespace Scheduler.Kubernetes.Tests.Fakes;

/// <summary>
/// What a request path and method address: <c>/api/v1/[namespaces/{ns}/]{resource}[/{name}]</c> or
/// <c>/apis/{group}/{version}/...</c>, also under the legacy <c>watch/</c> prefix.
/// </summary>
/// <param name="Type">The resource.</param>
/// <param name="Namespace">The namespace of the path, or <c>null</c>.</param>
/// <param name="Name">The object name of the path, or <c>null</c> for the collection.</param>
/// <param name="Verb">The verb, or <c>null</c> when the method is not one the path takes.</param>
internal sealed record ResourceRoute(ResourceType Type, string? Namespace, string? Name, ApiVerb? Verb)
{
    /// <summary>The request kind: the resource's for a verb it serves, <see cref="ApiRequestKind.Other"/> otherwise.</summary>
    public ApiRequestKind Kind => Verb is { } verb && Type.Verbs.TryGetValue(verb, out var kind) ? kind : ApiRequestKind.Other;

    /// <summary>Whether the resource serves the verb.</summary>
    public bool IsServed => Verb is { } verb && Type.Verbs.ContainsKey(verb);

    /// <summary>The route of <paramref name="method"/> <paramref name="path"/>, or <c>null</c> for a path the fake does not serve.</summary>
    public static ResourceRoute? Parse(string method, string path, bool watchParameter)
    {
        var segments = path.Trim('/').Split('/');
        string group;
        string version;
        int rest;
        if (segments is ["api", "v1", ..])
        {
            (group, version, rest) = (string.Empty, "v1", 2);
        }
        else if (segments is ["apis", _, _, ..])
        {
            (group, version, rest) = (segments[1], segments[2], 3);
        }
        else
        {
            return null;
        }

        var parts = segments[rest..];
        var legacyWatch = parts is ["watch", ..];
        if (legacyWatch)
        {
            parts = parts[1..];
        }

        string? ns = null;
        if (parts is ["namespaces", _, _, ..])
        {
            ns = parts[1];
            parts = parts[2..];
        }

        if (parts.Length is 0 or > 2 || ResourceCatalog.Find(group, version, parts[0]) is not { } type || (ns is not null && !type.Namespaced))
        {
            // Subresources (e.g. jobs/{name}/status) and unknown resources are not served.
            return null;
        }

        var name = parts.Length == 2 ? parts[1] : null;
        if (name is not null && type.Namespaced && ns is null)
        {
            return null;
        }

        var verb = method.ToUpperInvariant() switch
        {
            "GET" when legacyWatch || watchParameter => ApiVerb.Watch,
            "GET" when name is null => ApiVerb.List,
            "GET" => ApiVerb.Get,
            "POST" when name is null && (ns is not null || !type.Namespaced) && !legacyWatch => ApiVerb.Create,
            "PUT" when name is not null && !legacyWatch => ApiVerb.Update,
            "PATCH" when name is not null && !legacyWatch => ApiVerb.Patch,
            "DELETE" when name is not null && !legacyWatch => ApiVerb.Delete,
            _ => (ApiVerb?)null,
        };
        return new ResourceRoute(type, ns, name, verb);
    }
}
