using System.Text.Json.Nodes;

namespace Scheduler.Kubernetes.Tests.Fakes;

/// <summary>
/// A request the fake refuses, with the <c>Status</c> the API server answers it with. Raised where the
/// refusal is found (deep in a patch or a validation) and written out by the request handler.
/// </summary>
internal sealed class ApiStatusException : Exception
{
    public ApiStatusException()
        : this(StatusResponses.InternalError("unknown error"))
    {
    }

    public ApiStatusException(string message)
        : this(StatusResponses.InternalError(message))
    {
    }

    public ApiStatusException(string message, Exception innerException)
        : base(message, innerException)
    {
        Status = StatusResponses.InternalError(message);
    }

    public ApiStatusException(JsonObject status)
        : base(status["message"]?.GetValue<string>())
    {
        Status = status;
    }

    /// <summary>The Status body (kind Status, with code, reason, message and details).</summary>
    public JsonObject Status { get; }

    /// <summary>The HTTP status code.</summary>
    public int Code => Status["code"]!.GetValue<int>();
}
