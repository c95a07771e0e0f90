using System.Buffers;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Scheduler.Extender.Wire;

namespace Scheduler.Extender.Endpoints;

/// <summary>
/// Reads a whole request body into a pooled buffer, refusing bodies over the limit with a clear message
/// (<see cref="RequestTooLargeException"/>, HTTP 413).
/// </summary>
internal sealed class RequestBody : IDisposable
{
    private byte[] _buffer;

    private RequestBody(byte[] buffer, int length)
    {
        _buffer = buffer;
        Length = length;
    }

    public int Length { get; }

    public ReadOnlySpan<byte> Span => _buffer.AsSpan(0, Length);

    public static async Task<RequestBody> ReadAsync(HttpRequest request, int maxBytes, CancellationToken cancellationToken, string expected = "ExtenderArgs JSON")
    {
        if (request.ContentLength > maxBytes)
        {
            throw new RequestTooLargeException($"The request body of {request.ContentLength} bytes exceeds the limit of {maxBytes} bytes (Extender:MaxRequestBytes).");
        }

        // Kestrel's own limit (30 MB unless set) would otherwise refuse, with an empty 413, bodies this setting allows.
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } kestrelLimit)
        {
            kestrelLimit.MaxRequestBodySize = maxBytes + 1L;
        }

        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Min(maxBytes + 1L, request.ContentLength + 1 ?? 64 * 1024));
        var length = 0;
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    if (length > maxBytes)
                    {
                        throw TooLarge(maxBytes);
                    }

                    var larger = ArrayPool<byte>.Shared.Rent((int)Math.Min(maxBytes + 1L, buffer.Length * 2L));
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                int read;
                try
                {
                    read = await request.Body.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false);
                }
                catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
                {
                    throw TooLarge(maxBytes, e);
                }
                catch (BadHttpRequestException e)
                {
                    // A malformed chunked encoding, a body shorter than its Content-Length, a client too slow to send.
                    throw new ExtenderRequestException($"The request body cannot be read: {e.Message}", e);
                }

                if (read == 0)
                {
                    break;
                }

                length += read;
                if (length > maxBytes)
                {
                    throw TooLarge(maxBytes);
                }
            }

            if (length == 0)
            {
                throw new ExtenderRequestException($"The request body is empty; expected {expected}.");
            }

            return new RequestBody(buffer, length);
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
    }

    private static RequestTooLargeException TooLarge(int maxBytes, Exception? inner = null) =>
        new($"The request body exceeds the limit of {maxBytes} bytes (Extender:MaxRequestBytes).", inner);

    public void Dispose()
    {
        var buffer = Interlocked.Exchange(ref _buffer, []);
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
