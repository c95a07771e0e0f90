namespace Scheduler.Extender.Wire;

/// <summary>A request that cannot be read; answered with HTTP 400 and this message.</summary>
internal sealed class ExtenderRequestException(string message, Exception? inner = null) : Exception(message, inner);
