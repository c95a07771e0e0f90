using System.Buffers;
using Microsoft.AspNetCore.Http;
using Scheduler.Extender.Wire;

namespace Scheduler.Extender.Endpoints;

/// <summary>Reads a whole request body into a pooled buffer, refusing bodies over the limit with a clear message.</summary>
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
            throw new ExtenderRequestException($"The request body of {request.ContentLength} bytes exceeds the limit of {maxBytes} bytes (Extender:MaxRequestBytes).");
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
                        throw new ExtenderRequestException($"The request body exceeds the limit of {maxBytes} bytes (Extender:MaxRequestBytes).");
                    }

                    var larger = ArrayPool<byte>.Shared.Rent((int)Math.Min(maxBytes + 1L, buffer.Length * 2L));
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                var read = await request.Body.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                length += read;
                if (length > maxBytes)
                {
                    throw new ExtenderRequestException($"The request body exceeds the limit of {maxBytes} bytes (Extender:MaxRequestBytes).");
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

    public void Dispose()
    {
        var buffer = Interlocked.Exchange(ref _buffer, []);
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
