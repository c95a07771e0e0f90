namespace Scheduler.Core.Intensity;

/// <summary>
/// Carbon intensity in gCO2eq/kWh on a regular time grid: value <c>i</c> holds for
/// <c>[Start + i*Step, Start + (i+1)*Step)</c>. Immutable and safe to share between threads.
/// </summary>
/// <remarks>
/// Prefix sums are kept so that the time-weighted mean over any interval costs O(1), which is what
/// lets the scorer evaluate thousands of nodes per request.
/// </remarks>
public sealed class IntensitySeries
{
    private readonly double[] _gramsPerKwh;
    private readonly double[] _prefix;

    /// <summary>Creates a series.</summary>
    /// <param name="start">The start of the first step.</param>
    /// <param name="step">The step length; must be positive.</param>
    /// <param name="gramsPerKwh">One value per step, in gCO2eq/kWh; must be finite and not negative.</param>
    /// <exception cref="ArgumentException">The step is not positive, there are no values, or a value is invalid.</exception>
    public IntensitySeries(DateTimeOffset start, TimeSpan step, IReadOnlyList<double> gramsPerKwh)
    {
        ArgumentNullException.ThrowIfNull(gramsPerKwh);
        if (step <= TimeSpan.Zero)
        {
            throw new ArgumentException("The step of an intensity series must be positive.", nameof(step));
        }

        if (gramsPerKwh.Count == 0)
        {
            throw new ArgumentException("An intensity series needs at least one value.", nameof(gramsPerKwh));
        }

        _gramsPerKwh = new double[gramsPerKwh.Count];
        _prefix = new double[gramsPerKwh.Count + 1];
        for (var i = 0; i < gramsPerKwh.Count; i++)
        {
            var value = gramsPerKwh[i];
            if (!double.IsFinite(value) || value < 0)
            {
                throw new ArgumentException($"Intensity value {i} is {value}; values must be finite and not negative.", nameof(gramsPerKwh));
            }

            _gramsPerKwh[i] = value;
            _prefix[i + 1] = _prefix[i] + value;
        }

        Start = start.ToUniversalTime();
        Step = step;
    }

    /// <summary>The start of the first step (UTC).</summary>
    public DateTimeOffset Start { get; }

    /// <summary>The length of each step.</summary>
    public TimeSpan Step { get; }

    /// <summary>The end of the last step (UTC), exclusive.</summary>
    public DateTimeOffset End => Start + (Step * _gramsPerKwh.Length);

    /// <summary>The number of steps.</summary>
    public int Count => _gramsPerKwh.Length;

    /// <summary>The value of step <paramref name="index"/>, in gCO2eq/kWh.</summary>
    public double this[int index] => _gramsPerKwh[index];

    /// <summary>The values, in gCO2eq/kWh.</summary>
    public ReadOnlySpan<double> Values => _gramsPerKwh;

    /// <summary>The value in force at <paramref name="time"/>, or <c>null</c> outside the series.</summary>
    public double? ValueAt(DateTimeOffset time)
    {
        if (time < Start || time >= End)
        {
            return null;
        }

        return _gramsPerKwh[(int)((time - Start).Ticks / Step.Ticks)];
    }

    /// <summary>
    /// The time-weighted mean intensity over <c>[from, to)</c>, clipped to the span the series covers;
    /// partial steps count by their overlap. <c>null</c> when the interval does not overlap the series.
    /// An empty interval yields the value in force at <paramref name="from"/>.
    /// </summary>
    public double? MeanOver(DateTimeOffset from, DateTimeOffset to)
    {
        if (to <= from)
        {
            return ValueAt(from);
        }

        var clippedFrom = from < Start ? Start : from;
        var clippedTo = to > End ? End : to;
        if (clippedTo <= clippedFrom)
        {
            return null;
        }

        var integral = IntegralFromStart(clippedTo) - IntegralFromStart(clippedFrom);
        return integral / ((clippedTo - clippedFrom).Ticks / (double)Step.Ticks);
    }

    /// <summary>
    /// The integral of the series from <see cref="Start"/> to <paramref name="steps"/> steps after it
    /// (clamped to the series), in value x steps: the planners' inner loop, kept free of time arithmetic.
    /// </summary>
    internal double IntegralSteps(double steps)
    {
        if (steps <= 0)
        {
            return 0;
        }

        var whole = (int)steps;
        if (whole >= _gramsPerKwh.Length)
        {
            return _prefix[_gramsPerKwh.Length];
        }

        return _prefix[whole] + ((steps - whole) * _gramsPerKwh[whole]);
    }

    /// <summary>The integral of the series from <see cref="Start"/> to <paramref name="time"/>, in value x steps.</summary>
    private double IntegralFromStart(DateTimeOffset time)
    {
        var offsetTicks = (time - Start).Ticks;
        var whole = (int)(offsetTicks / Step.Ticks);
        if (whole >= _gramsPerKwh.Length)
        {
            return _prefix[_gramsPerKwh.Length];
        }

        var fraction = (offsetTicks - (whole * Step.Ticks)) / (double)Step.Ticks;
        return _prefix[whole] + (fraction * _gramsPerKwh[whole]);
    }
}
