using System.Globalization;
using Scheduler.Core.Power;

namespace Scheduler.Core.Scoring;

/// <summary>Why a node got its score: the figures behind it, for logs and metrics.</summary>
/// <param name="Outcome">How the score was reached.</param>
/// <param name="Zone">The node's grid zone, if known.</param>
/// <param name="IntensityGramsPerKwh">Mean intensity over the pod's expected run (before PUE), if known.</param>
/// <param name="IntensitySource">The source of that intensity, e.g. <c>profile</c>.</param>
/// <param name="Pue">The PUE applied.</param>
/// <param name="Watts">Estimated marginal power of the pod on the node.</param>
/// <param name="PowerSource">Where the power figures come from.</param>
/// <param name="PowerModel">The power model used.</param>
/// <param name="Hours">The expected run, in hours.</param>
/// <param name="Grams">Expected emissions in gCO2eq, if known.</param>
public readonly record struct ScoreReason(
    ScoreOutcome Outcome,
    string? Zone,
    double? IntensityGramsPerKwh,
    string? IntensitySource,
    double Pue,
    double Watts,
    PowerSource PowerSource,
    string PowerModel,
    double Hours,
    double? Grams)
{
    /// <summary>A one-line, human-readable form, e.g. for logs.</summary>
    public override string ToString()
    {
        var power = string.Create(CultureInfo.InvariantCulture, $"watts={Watts:0.#} ({PowerSource}: {PowerModel})");
        return Outcome switch
        {
            ScoreOutcome.ZoneUnknown => $"grid zone unknown; {power}",
            ScoreOutcome.NoIntensity => $"zone={Zone}: no carbon intensity known for the pod's run; {power}",
            _ => string.Create(
                CultureInfo.InvariantCulture,
                $"zone={Zone} intensity={IntensityGramsPerKwh:0.#} gCO2eq/kWh ({IntensitySource}) pue={Pue:0.##} {power} hours={Hours:0.##} grams={Grams:0.##}"),
        };
    }
}
