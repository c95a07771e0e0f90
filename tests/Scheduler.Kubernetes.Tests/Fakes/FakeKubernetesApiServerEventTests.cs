using k8s;
using k8s.Models;
using Microsoft.Extensions.Time.Testing;
using Scheduler.Kubernetes.Tests.Support;

namespace Scheduler.Kubernetes.Tests.Fakes;

/// <summary>The fake records Events through both Event APIs, as the API server stores them (one storage, converted per group).</summary>
public sealed class FakeKubernetesApiServerEventTests : IAsyncLifetime, IDisposable
{
    private static readonly DateTime At = new(2025, 6, 1, 12, 0, 0, DateTimeKind.Utc);

    private readonly CancellationTokenSource _timeout = new(Eventually.Timeout);
    private FakeKubernetesApiServer _server = null!;
    private k8s.Kubernetes _client = null!;
    private V1Job _job = null!;

    public async Task InitializeAsync()
    {
        _server = await FakeKubernetesApiServer.StartAsync();
        _server.TimeProvider = new FakeTimeProvider(new DateTimeOffset(At));
        _client = _server.CreateClient();
        _server.AddJob(TestJobs.Job("ml", "train"));
        _job = _server.GetJob("ml", "train")!;
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    public void Dispose()
    {
        _client.Dispose();
        _timeout.Dispose();
    }

    [Fact]
    public async Task CoreEvent_OnAJob_IsRecordedWithItsObjectReasonMessageAndType()
    {
        var created = await _client.CoreV1.CreateNamespacedEventAsync(CoreEvent("train.held", "ml"), "ml", cancellationToken: _timeout.Token);

        var recorded = Assert.Single(_server.ListEvents("ml"));
        Assert.Equal(("Job", "train", "ml", _job.Metadata.Uid), (recorded.InvolvedObject.Kind, recorded.InvolvedObject.Name, recorded.InvolvedObject.NamespaceProperty, recorded.InvolvedObject.Uid));
        Assert.Equal(("Held", "Held until 2025-06-01T14:00:00Z in SE-SE3", "Normal"), (recorded.Reason, recorded.Message, recorded.Type));
        Assert.Equal(("carbon-aware-scheduler", 1), (recorded.Source.Component, recorded.Count));
        Assert.Equal(created.Metadata.ResourceVersion, recorded.Metadata.ResourceVersion);
        Assert.Equal(At, recorded.Metadata.CreationTimestamp);

        // firstTimestamp is a metav1.Time, which the API server keeps to whole seconds.
        Assert.Equal((At, At), (recorded.FirstTimestamp, recorded.LastTimestamp));
        Assert.Equal(ApiRequestKind.EventCreate, Assert.Single(_server.RequestsOf(ApiRequestKind.EventCreate)).Kind);
    }

    [Fact]
    public async Task CoreEvent_SeenAgain_IsPatchedAsClientGosRecorderDoes()
    {
        await _client.CoreV1.CreateNamespacedEventAsync(CoreEvent("train.held", "ml"), "ml", cancellationToken: _timeout.Token);
        var patch = new V1Patch("""{"count":2,"lastTimestamp":"2025-06-01T12:05:00Z","message":"Held until 2025-06-01T15:00:00Z in SE-SE3"}""", V1Patch.PatchType.StrategicMergePatch);

        var patched = await _client.CoreV1.PatchNamespacedEventAsync(patch, "train.held", "ml", cancellationToken: _timeout.Token);

        var recorded = Assert.Single(_server.ListEvents());
        Assert.Equal((2, new DateTime(2025, 6, 1, 12, 5, 0, DateTimeKind.Utc)), (recorded.Count, recorded.LastTimestamp));
        Assert.Equal("Held until 2025-06-01T15:00:00Z in SE-SE3", recorded.Message);
        Assert.Equal(patched.Metadata.ResourceVersion, recorded.Metadata.ResourceVersion);
        Assert.Equal(("ml", "train.held"), (_server.RequestsOf(ApiRequestKind.EventPatch)[0].Namespace, _server.RequestsOf(ApiRequestKind.EventPatch)[0].Name));
    }

    [Fact]
    public async Task CoreEvent_InAnotherNamespaceThanItsObject_Is422()
    {
        var status = await ApiAssert.FailsWithStatusAsync(
            () => _client.CoreV1.CreateNamespacedEventAsync(CoreEvent("train.held", "web"), "web", cancellationToken: _timeout.Token),
            422,
            "Invalid",
            "Event \"train.held\" is invalid: involvedObject.namespace: Invalid value: \"ml\": does not match event.namespace");

        Assert.Equal("Event", status.GetProperty("details").GetProperty("kind").GetString());
        Assert.Empty(_server.ListEvents());
    }

    [Fact]
    public async Task EventsV1_Event_IsTheSameEventThroughTheCoreApi()
    {
        var created = await _client.EventsV1.CreateNamespacedEventAsync(NewEvent("train.released"), "ml", cancellationToken: _timeout.Token);

        var recorded = Assert.Single(_server.ListEvents("ml"));
        var listed = await _client.CoreV1.ListNamespacedEventAsync("ml", fieldSelector: "involvedObject.name=train,reason=Released", cancellationToken: _timeout.Token);
        var none = await _client.CoreV1.ListNamespacedEventAsync("ml", fieldSelector: "involvedObject.name=other", cancellationToken: _timeout.Token);
        var read = await _client.EventsV1.ReadNamespacedEventAsync("train.released", "ml", cancellationToken: _timeout.Token);

        Assert.Equal(("events.k8s.io/v1", "Job", "train"), (created.ApiVersion, created.Regarding.Kind, created.Regarding.Name));
        Assert.Equal(("train", "Released", "Released into SE-SE1", "Normal"), (recorded.InvolvedObject.Name, recorded.Reason, recorded.Message, recorded.Type));
        Assert.Equal(("carbon-aware-scheduler", "replica-0", "Release"), (recorded.ReportingComponent, recorded.ReportingInstance, recorded.Action));
        Assert.Equal("train.released", Assert.Single(listed.Items).Metadata.Name);
        Assert.Empty(none.Items);
        Assert.Equal(("Released into SE-SE1", "train"), (read.Note, read.Regarding.Name));
        Assert.Equal("Released into SE-SE1", Assert.Single(_server.ListEventsV1()).Note);
    }

    [Fact]
    public async Task EventsV1_WithoutTheFieldsTheGroupRequires_Is422()
    {
        var incomplete = new Eventsv1Event
        {
            Metadata = new V1ObjectMeta { Name = "train.bare", NamespaceProperty = "ml" },
            Regarding = new V1ObjectReference { Kind = "Job", Name = "train", NamespaceProperty = "ml" },
            Reason = "Held",
            Type = "Normal",
        };

        await ApiAssert.FailsWithStatusAsync(
            () => _client.EventsV1.CreateNamespacedEventAsync(incomplete, "ml", cancellationToken: _timeout.Token),
            422,
            "Invalid",
            "Event.events.k8s.io \"train.bare\" is invalid: [eventTime: Required value, reportingController: Required value, reportingInstance: Required value, action: Required value]");
    }

    private Corev1Event CoreEvent(string name, string @namespace) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = @namespace },
        InvolvedObject = new V1ObjectReference
        {
            ApiVersion = "batch/v1",
            Kind = "Job",
            Name = "train",
            NamespaceProperty = "ml",
            Uid = _job.Metadata.Uid,
            ResourceVersion = _job.Metadata.ResourceVersion,
        },
        Reason = "Held",
        Message = "Held until 2025-06-01T14:00:00Z in SE-SE3",
        Type = "Normal",
        Source = new V1EventSource { Component = "carbon-aware-scheduler" },
        ReportingComponent = "carbon-aware-scheduler",
        ReportingInstance = "replica-0",
        FirstTimestamp = At.AddMilliseconds(250),
        LastTimestamp = At.AddMilliseconds(250),
        Count = 1,
    };

    private Eventsv1Event NewEvent(string name) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "ml" },
        Regarding = new V1ObjectReference { ApiVersion = "batch/v1", Kind = "Job", Name = "train", NamespaceProperty = "ml", Uid = _job.Metadata.Uid },
        Reason = "Released",
        Note = "Released into SE-SE1",
        Type = "Normal",
        Action = "Release",
        EventTime = At,
        ReportingController = "carbon-aware-scheduler",
        ReportingInstance = "replica-0",
    };
}
