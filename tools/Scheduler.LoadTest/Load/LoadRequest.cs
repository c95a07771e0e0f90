namespace Scheduler.LoadTest.Load;

/// <summary>One prepared request: its verb, path and body (sent as is, never rebuilt during the run).</summary>
/// <param name="Verb">filter, prioritize or mutate/jobs.</param>
/// <param name="Body">The <c>ExtenderArgs</c> or <c>AdmissionReview</c> JSON.</param>
/// <param name="Pod">The pod's name, for the report.</param>
internal sealed record LoadRequest(string Verb, byte[] Body, string Pod)
{
    /// <summary>The request path.</summary>
    public string Path => "/" + Verb;
}
