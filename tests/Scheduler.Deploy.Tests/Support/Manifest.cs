using YamlDotNet.RepresentationModel;

namespace Scheduler.Deploy.Tests.Support;

/// <summary>One manifest: its document, the typed object it loaded into, and where it came from.</summary>
internal sealed record Manifest(string Source, string ApiVersion, string Kind, YamlMappingNode Document, object Value)
{
    /// <summary>The object's name (or generateName).</summary>
    public string Name => Document.Text("metadata", "name") ?? Document.Text("metadata", "generateName") ?? string.Empty;

    /// <summary>The object's namespace, or null (cluster-scoped, or left to the client).</summary>
    public string? Namespace => Document.Text("metadata", "namespace");

    /// <summary>The identity kustomize and the API server use: apiVersion, kind, namespace, name.</summary>
    public string Key => $"{ApiVersion}/{Kind} {Namespace}/{Name}";

    public override string ToString() => $"{Kind} {Namespace}/{Name} ({Source})";
}
