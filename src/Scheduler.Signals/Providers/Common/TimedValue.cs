namespace Scheduler.Signals.Providers.Common;

/// <summary>One value a provider reported for a period; <see cref="Value"/> is <c>null</c> where the provider left a hole.</summary>
/// <param name="Time">The start of the period (UTC).</param>
/// <param name="Duration">The length of the period; zero when the provider did not say.</param>
/// <param name="Value">The intensity, in gCO2eq/kWh.</param>
internal readonly record struct TimedValue(DateTimeOffset Time, TimeSpan Duration, double? Value);
