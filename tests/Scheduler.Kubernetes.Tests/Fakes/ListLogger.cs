using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Scheduler.Kubernetes.Tests.Fakes;

/// <summary>A logger that keeps what it is given, for tests to read.</summary>
public sealed class ListLogger<T> : ILogger<T>
{
    private readonly ConcurrentQueue<LogEntry> _entries = new();

    /// <summary>Everything logged so far, in order.</summary>
    public IReadOnlyList<LogEntry> Entries => [.. _entries];

    /// <summary>The entries at <paramref name="level"/>.</summary>
    public IReadOnlyList<LogEntry> At(LogLevel level) => [.. _entries.Where(e => e.Level == level)];

    /// <inheritdoc />
    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    /// <inheritdoc />
    public bool IsEnabled(LogLevel logLevel) => true;

    /// <inheritdoc />
    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        _entries.Enqueue(new LogEntry(logLevel, formatter(state, exception), exception));
    }
}
