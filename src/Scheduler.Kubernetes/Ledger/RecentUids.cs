namespace Scheduler.Kubernetes.Ledger;

/// <summary>
/// The last <c>capacity</c> uids added, first in first out: a bounded memory of what has been done already. Safe
/// for concurrent use.
/// </summary>
internal sealed class RecentUids(int capacity)
{
    private readonly HashSet<string> _set = new(StringComparer.Ordinal);
    private readonly Queue<string> _order = new();
    private readonly Lock _gate = new();

    /// <summary>How many uids are remembered.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _set.Count;
            }
        }
    }

    /// <summary>Adds <paramref name="uid"/>, forgetting the oldest beyond the capacity.</summary>
    /// <returns><c>false</c> when it was remembered already.</returns>
    public bool Add(string uid)
    {
        lock (_gate)
        {
            if (!_set.Add(uid))
            {
                return false;
            }

            _order.Enqueue(uid);
            while (_order.Count > capacity)
            {
                _set.Remove(_order.Dequeue());
            }

            return true;
        }
    }
}
