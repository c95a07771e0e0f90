namespace Scheduler.Signals.Tests.Providers.Fakes;

/// <summary>One request received by <see cref="WattTimeFakeServer"/>.</summary>
/// <param name="Path">The path, e.g. <c>/login</c> or <c>/v3/forecast</c>.</param>
/// <param name="Query">The query parameters.</param>
/// <param name="Authorization">The <c>Authorization</c> header, or <c>null</c>.</param>
/// <param name="Status">The status the server answered with.</param>
public sealed record WattTimeFakeRequest(string Path, IReadOnlyDictionary<string, string> Query, string? Authorization, int Status);
