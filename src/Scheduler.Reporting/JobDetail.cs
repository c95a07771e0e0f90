using Scheduler.Core.Accounting;

namespace Scheduler.Reporting;

/// <summary>One Job seen close up: its account, its plans, and the intensities around its submission and runs.</summary>
/// <param name="Emissions">Its account.</param>
/// <param name="Plans">The plans made for it, in time order.</param>
/// <param name="Actuals">The recorded actual intensity of the zones it could run in, from its submission to its end.</param>
/// <param name="Forecasts">The forecast of those zones as its first plan saw it.</param>
public sealed record JobDetail(
    JobEmissions Emissions,
    IReadOnlyList<LedgerPlan> Plans,
    IReadOnlyList<IntensityPoint> Actuals,
    IReadOnlyList<IntensityPoint> Forecasts);
