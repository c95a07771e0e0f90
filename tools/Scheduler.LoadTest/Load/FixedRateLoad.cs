using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;

namespace Scheduler.LoadTest.Load;

/// <summary>
/// Sends requests on a fixed schedule (open loop: request <c>i</c> is due at <c>start + i / rate</c>
/// whatever the answers before it took), with at most <c>concurrency</c> in flight. A request that
/// finds no free slot waits and is counted, and its latency is also reported from its due time, so
/// a server that stalls cannot hide the stall by slowing the load down (coordinated omission).
/// With <c>check</c>, each 2xx answer's body is read and given to it with its request: a message back makes the
/// request count as failed (a body that breaks the wire contract is as bad as no answer).
/// </summary>
internal sealed class FixedRateLoad(HttpClient client, int rate, int concurrency, Func<LoadRequest, byte[], string?>? check = null)
{
    private const int MaxErrorsKept = 5;
    private static readonly MediaTypeHeaderValue Json = new("application/json");

    private readonly ConcurrentQueue<string> _errors = new();

    /// <summary>Runs <paramref name="requests"/> round-robin for <paramref name="seconds"/> seconds.</summary>
    public async Task<LoadRun> RunAsync(IReadOnlyList<LoadRequest> requests, int seconds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(requests);
        var total = checked(seconds * rate);
        var results = new RequestResult[total];
        var throttled = 0;
        var ticksPerRequest = Stopwatch.Frequency / (double)rate;
        var millisecond = Stopwatch.Frequency / 1000;
        using var slots = new SemaphoreSlim(concurrency, concurrency);
        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < total; i++)
        {
            var due = start + (long)(i * ticksPerRequest);
            var early = due - Stopwatch.GetTimestamp();
            if (early >= millisecond)
            {
                // Timer resolution is about a millisecond; a late wake-up is caught up at once, and
                // the schedule is absolute, so lateness never accumulates.
                await Task.Delay(TimeSpan.FromSeconds(early / (double)Stopwatch.Frequency), cancellationToken);
            }

            if (!slots.Wait(0, cancellationToken))
            {
                throttled++;
                await slots.WaitAsync(cancellationToken);
            }

            _ = SendAsync(requests[i % requests.Count], i, due, results, slots, cancellationToken);
        }

        // Every slot back means every request has finished.
        for (var i = 0; i < concurrency; i++)
        {
            await slots.WaitAsync(cancellationToken);
        }

        var elapsed = Stopwatch.GetElapsedTime(start);
        return new LoadRun(results, elapsed, throttled, [.. _errors]);
    }

    private async Task SendAsync(LoadRequest request, int index, long due, RequestResult[] results, SemaphoreSlim slots, CancellationToken cancellationToken)
    {
        var sent = Stopwatch.GetTimestamp();
        var ok = false;
        try
        {
            using var message = new HttpRequestMessage(HttpMethod.Post, request.Path) { Content = new ByteArrayContent(request.Body) };
            message.Content.Headers.ContentType = Json;
            using var response = await client.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancellationToken);

            // The latency includes reading the whole answer, as kube-scheduler must before it can use it.
            string? wrong = null;
            if (check is null)
            {
                await response.Content.CopyToAsync(Stream.Null, cancellationToken);
            }
            else if (response.IsSuccessStatusCode)
            {
                wrong = check(request, await response.Content.ReadAsByteArrayAsync(cancellationToken));
            }

            ok = response.IsSuccessStatusCode && wrong is null;
            if (!response.IsSuccessStatusCode)
            {
                Keep($"{request.Verb}: HTTP {(int)response.StatusCode}");
            }
            else if (wrong is not null)
            {
                Keep($"{request.Verb}: {wrong}");
            }
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
        {
            Keep($"{request.Verb}: {e.GetType().Name}: {e.Message}");
        }
        finally
        {
            results[index] = new RequestResult(request.Verb, due, sent, Stopwatch.GetTimestamp(), ok);
            slots.Release();
        }
    }

    private void Keep(string error)
    {
        if (_errors.Count < MaxErrorsKept)
        {
            _errors.Enqueue(error);
        }
    }
}
