namespace Scheduler.Core.Power;

/// <summary>
/// Turns the raw samples of a cumulative energy counter into the energy it counted, repairing what
/// Prometheus' <c>increase()</c> cannot: a RAPL counter that wraps at its range is unwrapped rather
/// than taken for a restart (which would lose the energy up to the wrap), a restart of the exporter
/// counts from zero, and a one-sample spike (a reading implying more power than the device can draw)
/// is dropped instead of being counted, and then counted again on the way down.
/// </summary>
public static class EnergyCounter
{
    /// <summary>The energy counted between the first and the last of <paramref name="samples"/>.</summary>
    /// <param name="samples">The readings, in time order.</param>
    /// <param name="rules">How the counter behaves.</param>
    /// <param name="countsFromZero">
    /// Whether the counter started at zero just before its first sample, so that the first value is
    /// energy too: true for a pod's counter, whose series begins when the exporter first sees the pod.
    /// </param>
    public static CounterIncrease Increase(ReadOnlySpan<CounterSample> samples, CounterRules rules, bool countsFromZero = false)
    {
        ArgumentNullException.ThrowIfNull(rules);
        if (samples.Length == 0)
        {
            return CounterIncrease.None;
        }

        var joules = countsFromZero ? Math.Max(0, samples[0].Joules) : 0;
        int wraps = 0, resets = 0, glitches = 0;

        // Every step taken, in order, so that a restart's gap can be filled from the power around it.
        List<(bool Reset, double Joules, double Seconds)>? steps = null;
        var baseline = samples[0];

        // A sample that looked implausible against the baseline; the next sample tells whether it was
        // a glitch (the next agrees with the baseline) or a genuine jump that persists (it agrees with this).
        CounterSample? suspect = null;

        for (var i = 1; i < samples.Length; i++)
        {
            var current = samples[i];
            var step = Step(baseline, current, rules);
            if (step.Kind != StepKind.Implausible)
            {
                joules += step.Joules;
                Tally(step.Kind, ref wraps, ref resets);
                (steps ??= []).Add((step.Kind == StepKind.Reset, step.Joules, (current.At - baseline.At).TotalSeconds));
                if (suspect is not null)
                {
                    glitches++;
                    suspect = null;
                }

                baseline = current;
                continue;
            }

            if (suspect is { } earlier)
            {
                var fromSuspect = Step(earlier, current, rules);
                if (fromSuspect.Kind != StepKind.Implausible)
                {
                    // The jump persisted: the counter moved to a new level. Its own step is not energy.
                    glitches++;
                    joules += fromSuspect.Joules;
                    Tally(fromSuspect.Kind, ref wraps, ref resets);
                    (steps ??= []).Add((fromSuspect.Kind == StepKind.Reset, fromSuspect.Joules, (current.At - earlier.At).TotalSeconds));
                    baseline = current;
                    suspect = null;
                    continue;
                }
            }

            if (suspect is not null)
            {
                glitches++;
            }

            suspect = current;
        }

        if (suspect is not null)
        {
            glitches++;
        }

        var estimated = steps is null ? 0 : EstimateGaps(steps);
        return new CounterIncrease(joules, estimated, samples[0].At, samples[^1].At, wraps, resets, glitches);
    }

    // A restart loses the energy from the last reading before it to the restart itself. It is
    // estimated from the power of the nearest whole steps on either side (the load around a
    // restart is more like the load at the restart than the run's mean is), less what the new
    // counter did see.
    private static double EstimateGaps(List<(bool Reset, double Joules, double Seconds)> steps)
    {
        var estimated = 0.0;
        for (var i = 0; i < steps.Count; i++)
        {
            if (!steps[i].Reset)
            {
                continue;
            }

            var before = Nearest(steps, i, -1);
            var after = Nearest(steps, i, +1);
            var watts = (before, after) switch
            {
                ({ } b, { } a) => (b + a) / 2,
                ({ } b, null) => b,
                (null, { } a) => a,
                _ => (double?)null,
            };
            if (watts is { } w)
            {
                estimated += Math.Max(0, (w * steps[i].Seconds) - steps[i].Joules);
            }
        }

        return estimated;
    }

    private static double? Nearest(List<(bool Reset, double Joules, double Seconds)> steps, int from, int direction)
    {
        for (var j = from + direction; j >= 0 && j < steps.Count; j += direction)
        {
            if (!steps[j].Reset && steps[j].Seconds > 0)
            {
                return steps[j].Joules / steps[j].Seconds;
            }
        }

        return null;
    }

    private static void Tally(StepKind kind, ref int wraps, ref int resets)
    {
        if (kind == StepKind.Wrap)
        {
            wraps++;
        }
        else if (kind == StepKind.Reset)
        {
            resets++;
        }
    }

    private static (StepKind Kind, double Joules) Step(CounterSample from, CounterSample to, CounterRules rules)
    {
        var seconds = (to.At - from.At).TotalSeconds;

        // The most a device can count between the two readings, with a second of slack for
        // scrape-timestamp jitter against the exporter's own sampling.
        var most = rules.MaxWatts * (Math.Max(seconds, 0) + 1);
        var delta = to.Joules - from.Joules;
        if (delta >= 0)
        {
            return delta <= most ? (StepKind.Normal, delta) : (StepKind.Implausible, 0);
        }

        if (rules.WrapJoules is { } range && from.Joules <= range)
        {
            var unwrapped = range - from.Joules + to.Joules;
            if (unwrapped >= 0 && unwrapped <= most)
            {
                return (StepKind.Wrap, unwrapped);
            }
        }

        // The counter went back: the exporter restarted and counts again from zero.
        return to.Joules >= 0 && to.Joules <= most ? (StepKind.Reset, to.Joules) : (StepKind.Implausible, 0);
    }

    private enum StepKind
    {
        Normal,
        Wrap,
        Reset,
        Implausible,
    }
}
