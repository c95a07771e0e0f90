using System.Net;

namespace Scheduler.Extender.Tests.Fixtures;

/// <summary>
/// A JSON request body sent in two parts: all but its last byte at once, the last byte when the test releases it, so
/// the request stays in the server (holding whatever it acquired) for as long as the test needs. Meanwhile it sends
/// whitespace (valid between JSON tokens) at well over Kestrel's minimum request body data rate (240 bytes a second
/// after a 5 s grace period), so that the server never drops it as too slow however long the test takes. It is sent
/// chunked, its length not known in advance.
/// </summary>
internal sealed class HeldBody(byte[] body) : HttpContent
{
    private static readonly byte[] Whitespace = [.. Enumerable.Repeat((byte)' ', 128)];

    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes once the first part has been sent.</summary>
    public Task Started => _started.Task;

    /// <summary>Sends the rest of the body.</summary>
    public void Release() => _release.TrySetResult();

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
    {
        await stream.WriteAsync(body.AsMemory(0, body.Length - 1));
        await stream.FlushAsync();
        _started.TrySetResult();
        while (await Task.WhenAny(_release.Task, Task.Delay(100)) != _release.Task)
        {
            await stream.WriteAsync(Whitespace);
            await stream.FlushAsync();
        }

        await stream.WriteAsync(body.AsMemory(body.Length - 1));
    }

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }
}
