namespace Scheduler.Signals.Power;

/// <summary>The shape of a fitted CPU power curve.</summary>
public enum PowerCurveKind
{
    /// <summary><c>idle + slope·u</c>: the default, and all a narrow or noisy history supports.</summary>
    Linear,

    /// <summary><c>idle + b·u + c·u²</c>: chosen only when it predicts held-out points clearly better and rises monotonically.</summary>
    Quadratic,
}
