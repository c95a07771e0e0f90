using k8s.Models;

namespace Scheduler.Kubernetes.Tests.Fakes;

/// <summary>
/// The Events of <see cref="FakeKubernetesApiServer"/>: recorded through <c>v1</c> or <c>events.k8s.io/v1</c>
/// (the same objects, as in the API server), read by tests in the core form.
/// </summary>
public sealed partial class FakeKubernetesApiServer
{
    /// <summary>
    /// The Events of <paramref name="namespace"/> (all when <c>null</c>), in creation order, as core <c>v1</c>
    /// Events: an <c>events.k8s.io/v1</c> Event's <c>regarding</c> reads as <c>involvedObject</c>, its
    /// <c>note</c> as <c>message</c>, its <c>reportingController</c> as <c>reportingComponent</c>.
    /// </summary>
    public IReadOnlyList<Corev1Event> ListEvents(string? @namespace = null) => All<Corev1Event>(ResourceCatalog.Events, @namespace);

    /// <summary>The Events of <paramref name="namespace"/> (all when <c>null</c>), in creation order, in the <c>events.k8s.io/v1</c> form.</summary>
    public IReadOnlyList<Eventsv1Event> ListEventsV1(string? @namespace = null) => All<Eventsv1Event>(ResourceCatalog.EventsV1, @namespace);
}
