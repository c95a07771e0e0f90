using System.Text.Json.Nodes;

namespace Scheduler.Kubernetes.Tests.Fakes;

/// <summary>
/// The rules the API server applies to writes of one kind (its <c>rest.RESTCreateStrategy</c> and
/// <c>RESTUpdateStrategy</c>, and the defaulting of its type). Works on the storage JSON.
/// </summary>
internal interface IResourceStrategy
{
    /// <summary>Whether <c>metadata.generation</c> is kept: 1 on create, one more on every change of <c>spec</c>.</summary>
    bool TracksGeneration { get; }

    /// <summary>Applies the kind's defaults to a decoded request body (the API server defaults every decoded object).</summary>
    void ApplyDefaults(JsonObject json);

    /// <summary>Changes a new object before it is stored (e.g. clears status, generates a selector); the uid is already set.</summary>
    void PrepareForCreate(JsonObject json);

    /// <summary>Changes an updated object before it is stored (e.g. keeps the old status).</summary>
    void PrepareForUpdate(JsonObject updated, JsonObject old);

    /// <summary>What is wrong with a new object, as requested through <paramref name="requestedAs"/>.</summary>
    IEnumerable<FieldError> ValidateCreate(JsonObject json, ResourceType requestedAs);

    /// <summary>What is wrong with an update of <paramref name="old"/> to <paramref name="updated"/>.</summary>
    IEnumerable<FieldError> ValidateUpdate(JsonObject updated, JsonObject old, ResourceType requestedAs);
}

/// <summary>A strategy with no rules of its own (nodes, pods, leases as the fake serves them).</summary>
internal class ResourceStrategy : IResourceStrategy
{
    /// <summary>The strategy of kinds without rules.</summary>
    public static readonly IResourceStrategy Default = new ResourceStrategy();

    /// <inheritdoc />
    public virtual bool TracksGeneration => false;

    /// <inheritdoc />
    public virtual void ApplyDefaults(JsonObject json)
    {
    }

    /// <inheritdoc />
    public virtual void PrepareForCreate(JsonObject json)
    {
    }

    /// <inheritdoc />
    public virtual void PrepareForUpdate(JsonObject updated, JsonObject old)
    {
    }

    /// <inheritdoc />
    public virtual IEnumerable<FieldError> ValidateCreate(JsonObject json, ResourceType requestedAs) => [];

    /// <inheritdoc />
    public virtual IEnumerable<FieldError> ValidateUpdate(JsonObject updated, JsonObject old, ResourceType requestedAs) => [];
}
