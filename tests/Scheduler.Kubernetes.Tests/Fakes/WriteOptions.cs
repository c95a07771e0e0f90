namespace Scheduler.Kubernetes.Tests.Fakes;

/// <summary>How a write reaches the store: through the API, or from a test acting as a user or a controller.</summary>
internal sealed record WriteOptions
{
    /// <summary>A write through the API.</summary>
    public static readonly WriteOptions Api = new();

    /// <summary>A test acting as a user: no resourceVersion precondition, and a given uid and creationTimestamp are kept.</summary>
    public static readonly WriteOptions Test = new() { FromTest = true };

    /// <summary>A test acting as the controller that owns the status: the kind's update rules (which protect the status) are skipped.</summary>
    public static readonly WriteOptions TestStatus = new() { FromTest = true, StatusOnly = true };

    /// <summary>Whether a test wrote it (no preconditions; uid and creationTimestamp of an added object kept).</summary>
    public bool FromTest { get; init; }

    /// <summary>Whether only the status is written, as through the <c>/status</c> subresource.</summary>
    public bool StatusOnly { get; init; }

    /// <summary><c>dryRun=All</c>: everything but the commit.</summary>
    public bool DryRun { get; init; }

    /// <summary>A PUT: its uid is a precondition (a 409 when the object was replaced), and an undecodable body a 400.</summary>
    public bool IsReplace { get; init; }

    /// <summary>A PATCH: a result that does not decode into the kind is a 422 naming the patched JSON.</summary>
    public bool IsPatch { get; init; }
}

/// <summary>The options of a DELETE.</summary>
/// <param name="PropagationPolicy"><c>Orphan</c>, <c>Background</c> or <c>Foreground</c>; <c>null</c> for the resource's default.</param>
/// <param name="Uid">The uid precondition, or <c>null</c>.</param>
/// <param name="ResourceVersion">The resourceVersion precondition, or <c>null</c>.</param>
/// <param name="DryRun"><c>dryRun=All</c>.</param>
internal sealed record DeleteRequest(string? PropagationPolicy = null, string? Uid = null, string? ResourceVersion = null, bool DryRun = false);
