namespace Scheduler.Kubernetes.Ledger;

/// <summary>The times of Kubernetes objects (<c>metav1.Time</c>, read as <see cref="DateTime"/>) as UTC <see cref="DateTimeOffset"/>s.</summary>
internal static class KubernetesTimes
{
    /// <summary><paramref name="time"/> in UTC; a time without a kind is UTC, as the API server writes every time.</summary>
    public static DateTimeOffset? Utc(DateTime? time) => time is { } t
        ? new DateTimeOffset(t.Kind == DateTimeKind.Local ? t.ToUniversalTime() : DateTime.SpecifyKind(t, DateTimeKind.Utc))
        : null;
}
