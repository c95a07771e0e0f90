using Microsoft.Extensions.Logging;

namespace Scheduler.Kubernetes.Tests.Fakes;

/// <summary>One message logged to a <see cref="ListLogger{T}"/>.</summary>
/// <param name="Level">The level.</param>
/// <param name="Message">The formatted message.</param>
/// <param name="Exception">The exception logged with it, if any.</param>
public sealed record LogEntry(LogLevel Level, string Message, Exception? Exception);
