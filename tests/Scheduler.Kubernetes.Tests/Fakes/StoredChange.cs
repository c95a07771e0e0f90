using System.Text.Json.Nodes;

namespace Scheduler.Kubernetes.Tests.Fakes;

/// <summary>One write to the store: what the watches of its storage are told about.</summary>
/// <param name="Version">The resourceVersion of the write.</param>
/// <param name="Storage">The storage written.</param>
/// <param name="Type"><c>ADDED</c>, <c>MODIFIED</c> or <c>DELETED</c>.</param>
/// <param name="Object">The object after the write (for <c>DELETED</c>, its last state at the write's resourceVersion), in storage form.</param>
/// <param name="Previous">The object before the write, or <c>null</c> for <c>ADDED</c>.</param>
internal sealed record StoredChange(long Version, string Storage, string Type, JsonObject Object, JsonObject? Previous);
