using System.Net;

namespace Scheduler.Extender.Tests.Fixtures;

/// <summary>
/// A request body sent in two parts: the first at once, the rest when the test releases it, so the request stays
/// in the server (holding whatever it acquired) for as long as the test needs.
/// </summary>
internal sealed class HeldBody(byte[] body) : HttpContent
{
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes once the first part has been sent.</summary>
    public Task Started => _started.Task;

    /// <summary>Sends the rest of the body.</summary>
    public void Release() => _release.TrySetResult();

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
    {
        var half = body.Length / 2;
        await stream.WriteAsync(body.AsMemory(0, half));
        await stream.FlushAsync();
        _started.TrySetResult();
        await _release.Task;
        await stream.WriteAsync(body.AsMemory(half));
    }

    protected override bool TryComputeLength(out long length)
    {
        length = body.Length;
        return true;
    }
}
