namespace Scheduler.Extender.Wire;

/// <summary>A request body over <c>Extender:MaxRequestBytes</c>; answered with HTTP 413 and this message.</summary>
internal sealed class RequestTooLargeException(string message, Exception? inner = null) : Exception(message, inner);
