namespace Scheduler.Signals.Tests.Providers.Fakes;

/// <summary>One request received by <see cref="ElectricityMapsFakeServer"/>.</summary>
/// <param name="Path">The path, e.g. <c>/v3/carbon-intensity/forecast</c>.</param>
/// <param name="Query">The query parameters.</param>
/// <param name="AuthToken">The <c>auth-token</c> header, or <c>null</c>.</param>
/// <param name="Status">The status the server answered with.</param>
public sealed record ElectricityMapsFakeRequest(string Path, IReadOnlyDictionary<string, string> Query, string? AuthToken, int Status);
