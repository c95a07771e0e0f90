namespace Scheduler.LoadTest;

/// <summary>Which extender verbs the load sends.</summary>
internal enum LoadVerb
{
    /// <summary>Only <c>POST /prioritize</c>.</summary>
    Prioritize,

    /// <summary>Only <c>POST /filter</c>.</summary>
    Filter,

    /// <summary>Filter then prioritize, alternately, as kube-scheduler calls them for each pod.</summary>
    Mixed,

    /// <summary>Only <c>POST /mutate/jobs</c>: the admission webhook, as the API server calls it for each Job created.</summary>
    Mutate,
}
