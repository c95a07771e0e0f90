using System.Collections.Concurrent;

namespace Scheduler.Storage.Tests.Support;

/// <summary>
/// Where <see cref="CountingJob"/> records its runs. Quartz builds job instances itself, so a test finds its own
/// log through an id carried in the job data; tests running in parallel never see each other's runs.
/// </summary>
internal static class Executions
{
    private static readonly ConcurrentDictionary<string, ExecutionLog> Logs = new();

    /// <summary>A new, empty log.</summary>
    public static ExecutionLog Create()
    {
        var log = new ExecutionLog(Guid.NewGuid().ToString("N"));
        Logs[log.Id] = log;
        return log;
    }

    /// <summary>Records a run in the log <paramref name="logId"/>, if it still exists.</summary>
    public static void Record(string? logId, Execution execution)
    {
        if (logId is not null && Logs.TryGetValue(logId, out var log))
        {
            log.Add(execution);
        }
    }
}

/// <summary>One run of a job.</summary>
/// <param name="JobKey">The job.</param>
/// <param name="InstanceId">The scheduler instance that ran it.</param>
/// <param name="FireTimeUtc">When it actually fired.</param>
/// <param name="ScheduledFireTimeUtc">When the trigger said it should fire (after any misfire handling).</param>
internal sealed record Execution(string JobKey, string InstanceId, DateTimeOffset FireTimeUtc, DateTimeOffset? ScheduledFireTimeUtc);

/// <summary>The runs one test's jobs made.</summary>
internal sealed class ExecutionLog(string id)
{
    private readonly ConcurrentQueue<Execution> _runs = new();

    /// <summary>The id jobs carry in their data under <see cref="CountingJob.LogKey"/>.</summary>
    public string Id { get; } = id;

    /// <summary>Every run so far.</summary>
    public IReadOnlyList<Execution> Runs => [.. _runs];

    /// <summary>How many runs so far.</summary>
    public int Count => _runs.Count;

    /// <summary>Runs per job key.</summary>
    public IReadOnlyDictionary<string, int> CountByJob() =>
        _runs.GroupBy(r => r.JobKey, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);

    /// <summary>A readable summary for failure messages.</summary>
    public string Describe() =>
        _runs.IsEmpty ? "no runs" : string.Join("; ", _runs.Select(r => $"{r.JobKey} on {r.InstanceId} at {r.FireTimeUtc:HH:mm:ss.fff}"));

    public void Add(Execution execution) => _runs.Enqueue(execution);
}
