using k8s;
using k8s.LeaderElection;
using k8s.LeaderElection.ResourceLock;
using k8s.Models;
using Scheduler.Kubernetes.Tests.Support;

namespace Scheduler.Kubernetes.Tests.Fakes;

/// <summary>The fake serves Leases with the API server's optimistic concurrency, so KubernetesClient's leader election works against it.</summary>
public sealed class FakeKubernetesApiServerLeaseTests : IAsyncLifetime, IDisposable
{
    private const string Namespace = "carbon";
    private const string LeaseName = "deferral-controller";
    // Short enough for a quick test, long enough that a loaded two-core machine does not miss a renewal.
    private static readonly TimeSpan LeaseDuration = TimeSpan.FromSeconds(2);

    private readonly CancellationTokenSource _timeout = new(Eventually.Timeout);
    private FakeKubernetesApiServer _server = null!;
    private k8s.Kubernetes _client = null!;

    public async Task InitializeAsync()
    {
        _server = await FakeKubernetesApiServer.StartAsync();
        _client = _server.CreateClient();
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    public void Dispose()
    {
        _client.Dispose();
        _timeout.Dispose();
    }

    [Fact]
    public async Task Lease_CreateReadReplace_WithTheApiServersConcurrency()
    {
        var renewed = new DateTime(2025, 6, 1, 12, 0, 0, DateTimeKind.Utc).AddTicks(1_234_560);
        var lease = new V1Lease
        {
            Metadata = new V1ObjectMeta { Name = LeaseName, NamespaceProperty = Namespace },
            Spec = new V1LeaseSpec { HolderIdentity = "replica-a", LeaseDurationSeconds = 15, AcquireTime = renewed, RenewTime = renewed, LeaseTransitions = 0 },
        };

        var created = await _client.CoordinationV1.CreateNamespacedLeaseAsync(lease, Namespace, cancellationToken: _timeout.Token);
        await ApiAssert.FailsWithStatusAsync(
            () => _client.CoordinationV1.CreateNamespacedLeaseAsync(lease, Namespace, cancellationToken: _timeout.Token),
            409,
            "AlreadyExists",
            "leases.coordination.k8s.io \"deferral-controller\" already exists");
        created.Spec.HolderIdentity = "replica-b";
        var replaced = await _client.CoordinationV1.ReplaceNamespacedLeaseAsync(created, LeaseName, Namespace, cancellationToken: _timeout.Token);
        var status = await ApiAssert.FailsWithStatusAsync(
            () => _client.CoordinationV1.ReplaceNamespacedLeaseAsync(created, LeaseName, Namespace, cancellationToken: _timeout.Token),
            409,
            "Conflict",
            "Operation cannot be fulfilled on leases.coordination.k8s.io \"deferral-controller\": the object has been modified; please apply your changes to the latest version and try again");
        await ApiAssert.FailsWithStatusAsync(
            () => _client.CoordinationV1.ReadNamespacedLeaseAsync("other", Namespace, cancellationToken: _timeout.Token),
            404,
            "NotFound",
            "leases.coordination.k8s.io \"other\" not found");

        ApiAssert.DetailsName(status, LeaseName, "coordination.k8s.io", "leases");
        Assert.NotEqual(created.Metadata.ResourceVersion, replaced.Metadata.ResourceVersion);

        // renewTime and acquireTime are MicroTimes: the microseconds survive.
        Assert.Equal(("replica-b", renewed), (_server.GetLease(Namespace, LeaseName)?.Spec.HolderIdentity, replaced.Spec.RenewTime));
        Assert.Equal(
            [ApiRequestKind.LeaseCreate, ApiRequestKind.LeaseCreate, ApiRequestKind.LeaseReplace, ApiRequestKind.LeaseReplace, ApiRequestKind.LeaseGet],
            _server.Requests.Select(r => r.Kind));
    }

    [Fact]
    public async Task LeaderElectors_OnOneLease_OneLeadsAtATimeAndTheOtherTakesOverWhenItStopsRenewing()
    {
        var gate = new Lock();
        var leaders = new HashSet<string>();
        var started = new List<string>();
        var mostAtOnce = 0;
        using var clientA = _server.CreateClient();
        using var clientB = _server.CreateClient();
        using var a = Elector("replica-a", clientA);
        using var b = Elector("replica-b", clientB);
        using var stopA = CancellationTokenSource.CreateLinkedTokenSource(_timeout.Token);
        using var stopB = CancellationTokenSource.CreateLinkedTokenSource(_timeout.Token);

        // Each client's first request (connection, serializers) is made before the clock of a lease runs.
        foreach (var client in new[] { clientA, clientB })
        {
            await Assert.ThrowsAsync<k8s.Autorest.HttpOperationException>(() => client.CoordinationV1.ReadNamespacedLeaseAsync(LeaseName, Namespace, cancellationToken: _timeout.Token));
        }

        var runA = RunAsync(a, stopA.Token);
        await Eventually.UntilAsync(() => Started().Count == 1, "replica-a leads");
        var runB = RunAsync(b, stopB.Token);

        // More than a lease duration in which replica-a renews and replica-b only watches.
        await Task.Delay(LeaseDuration * 1.5, _timeout.Token);
        Assert.Equal(["replica-a"], Started());
        Assert.Equal("replica-a", _server.GetLease(Namespace, LeaseName)?.Spec.HolderIdentity);
        Assert.False(b.IsLeader());
        Assert.True(_server.RequestsOf(ApiRequestKind.LeaseReplace).Count >= 3, "replica-a renews the lease");

        await stopA.CancelAsync();
        await runA;
        await Eventually.UntilAsync(() => Started().Count == 2, "replica-b takes over");

        var lease = _server.GetLease(Namespace, LeaseName)!;
        Assert.Equal(["replica-a", "replica-b"], Started());
        Assert.Equal(1, mostAtOnce);
        Assert.Equal(("replica-b", 1), (lease.Spec.HolderIdentity, lease.Spec.LeaseTransitions));
        Assert.True(b.IsLeader());

        // Every write after the first create went through a PUT carrying the resourceVersion it read.
        Assert.All(_server.RequestsOf(ApiRequestKind.LeaseReplace), r => Assert.Contains("\"resourceVersion\":", r.Body, StringComparison.Ordinal));

        await stopB.CancelAsync();
        await runB;

        List<string> Started()
        {
            lock (gate)
            {
                return [.. started];
            }
        }

        LeaderElector Elector(string identity, k8s.Kubernetes client)
        {
            var elector = new LeaderElector(new LeaderElectionConfig(new LeaseLock(client, Namespace, LeaseName, identity))
            {
                LeaseDuration = LeaseDuration,
                RenewDeadline = TimeSpan.FromMilliseconds(1500),
                RetryPeriod = TimeSpan.FromMilliseconds(100),
            });
            elector.OnStartedLeading += () =>
            {
                lock (gate)
                {
                    leaders.Add(identity);
                    started.Add(identity);
                    mostAtOnce = Math.Max(mostAtOnce, leaders.Count);
                }
            };
            elector.OnStoppedLeading += () =>
            {
                lock (gate)
                {
                    leaders.Remove(identity);
                }
            };
            return elector;
        }
    }

    private static async Task RunAsync(LeaderElector elector, CancellationToken cancellationToken)
    {
        try
        {
            await elector.RunUntilLeadershipLostAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped by the test: the elector stops renewing.
        }
    }
}
