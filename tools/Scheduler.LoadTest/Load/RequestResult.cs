namespace Scheduler.LoadTest.Load;

/// <summary>The timing of one request, in <see cref="System.Diagnostics.Stopwatch"/> ticks.</summary>
/// <param name="Verb">filter or prioritize.</param>
/// <param name="Due">When the fixed-rate schedule wanted it sent.</param>
/// <param name="Sent">When it was sent.</param>
/// <param name="Done">When its whole response had been read.</param>
/// <param name="Ok">Whether it succeeded with a 2xx status.</param>
internal readonly record struct RequestResult(string Verb, long Due, long Sent, long Done, bool Ok);
