namespace Scheduler.Extender.Ledger;

/// <summary>What a queued ledger write records; the metrics' <c>kind</c> label.</summary>
internal enum LedgerWriteKind
{
    /// <summary>A Job or bare Pod first acted on.</summary>
    Submission,

    /// <summary>A plan of the deferral controller.</summary>
    Plan,

    /// <summary>A run that started or resumed.</summary>
    RunStart,

    /// <summary>A run that ended (a pause).</summary>
    RunEnd,

    /// <summary>How a Job ended, with its energy.</summary>
    Completion,

    /// <summary>Actual intensities of a zone.</summary>
    Actuals,

    /// <summary>One forecast issue of a zone.</summary>
    Forecast,

    /// <summary>Sampled node scoring decisions.</summary>
    ScoringSamples,
}
