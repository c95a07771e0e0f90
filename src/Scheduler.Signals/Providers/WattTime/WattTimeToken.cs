namespace Scheduler.Signals.Providers.WattTime;

/// <summary>A WattTime API token and when it was obtained.</summary>
/// <param name="Value">The JWT, sent as <c>Authorization: Bearer</c>.</param>
/// <param name="ObtainedAt">When the login that returned it started, by the provider's clock.</param>
internal sealed record WattTimeToken(string Value, DateTimeOffset ObtainedAt);
