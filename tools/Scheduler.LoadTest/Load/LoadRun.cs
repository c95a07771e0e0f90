namespace Scheduler.LoadTest.Load;

/// <summary>The outcome of a measured run.</summary>
/// <param name="Results">One entry per request, in schedule order.</param>
/// <param name="Elapsed">From the first scheduled send to the last response.</param>
/// <param name="Throttled">Requests that found every concurrency slot busy at their due time and waited.</param>
/// <param name="Errors">The first few error messages, for the report.</param>
internal sealed record LoadRun(IReadOnlyList<RequestResult> Results, TimeSpan Elapsed, int Throttled, IReadOnlyList<string> Errors);
