namespace Scheduler.Deferral.Tests.Support;

/// <summary>
/// Asks a service's <c>/healthz</c> every half second, as the kubelet's liveness probe would, and keeps every
/// answer that was not a 200 within the probe's timeout.
/// </summary>
internal sealed class HealthWatch : IAsyncDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(500);

    private readonly HttpClient _client;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<string> _failures = [];
    private readonly Lock _gate = new();
    private readonly Task _probing;
    private int _probes;

    public HealthWatch(Uri service)
    {
        // The kubelet's default probe timeout is 1 s; 2 s leaves room for a busy test machine.
        _client = new HttpClient { BaseAddress = service, Timeout = TimeSpan.FromSeconds(2) };
        _probing = Task.Run(() => ProbeAsync(_stop.Token));
    }

    /// <summary>The probes answered so far.</summary>
    public int Probes => Volatile.Read(ref _probes);

    /// <summary>Every probe that failed, with its time and what happened.</summary>
    public IReadOnlyList<string> Failures
    {
        get
        {
            lock (_gate)
            {
                return [.. _failures];
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _probing;
        _client.Dispose();
        _stop.Dispose();
    }

    private async Task ProbeAsync(CancellationToken token)
    {
        while (!token.IsCancellationRequested)
        {
            var at = DateTimeOffset.UtcNow;
            string? failure = null;
            try
            {
                using var response = await _client.GetAsync(new Uri("/healthz", UriKind.Relative), token);
                if (!response.IsSuccessStatusCode)
                {
                    failure = $"HTTP {(int)response.StatusCode}";
                }
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                failure = e.Message;
            }

            Interlocked.Increment(ref _probes);
            if (failure is not null)
            {
                lock (_gate)
                {
                    _failures.Add($"{at:HH:mm:ss.fff}: {failure}");
                }
            }

            try
            {
                await Task.Delay(Interval, token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
