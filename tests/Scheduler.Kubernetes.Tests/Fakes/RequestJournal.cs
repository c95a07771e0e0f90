namespace Scheduler.Kubernetes.Tests.Fakes;

/// <summary>The requests <see cref="FakeKubernetesApiServer"/> received, and the failures queued for coming ones.</summary>
internal sealed class RequestJournal
{
    private readonly Lock _gate = new();
    private readonly List<RecordedRequest> _requests = [];
    private readonly List<InjectedFailure> _failures = [];

    /// <summary>Every request so far, in order.</summary>
    public IReadOnlyList<RecordedRequest> Requests
    {
        get
        {
            lock (_gate)
            {
                return [.. _requests];
            }
        }
    }

    /// <summary>Queues <paramref name="failure"/> for the next <paramref name="times"/> requests it applies to.</summary>
    public void Enqueue(InjectedFailure failure, int times)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(times);
        lock (_gate)
        {
            for (var i = 0; i < times; i++)
            {
                _failures.Add(failure);
            }
        }
    }

    /// <summary>Records <paramref name="request"/>; returns the failure to answer it with instead, if one is queued for it.</summary>
    public InjectedFailure? Record(RecordedRequest request)
    {
        lock (_gate)
        {
            _requests.Add(request);
            var failure = _failures.FirstOrDefault(f => f.Kind is null || f.Kind == request.Kind);
            if (failure is not null)
            {
                _failures.Remove(failure);
            }

            return failure;
        }
    }
}
