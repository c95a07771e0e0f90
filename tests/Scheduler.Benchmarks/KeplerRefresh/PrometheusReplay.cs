using System.Diagnostics;
using System.Text;

namespace Scheduler.Benchmarks.KeplerRefresh;

/// <summary>
/// Asks Prometheus the recorded questions again over plain HTTP, in the same batches the reader sent them
/// (requests in flight together are sent together), and reads each answer to the end without parsing it: the
/// part of a read that is Prometheus' (and the transfer's) alone.
/// </summary>
internal sealed class PrometheusReplay(HttpClient http, Uri baseUrl, IReadOnlyList<MeteredRequest> recorded)
{
    private readonly IReadOnlyList<IReadOnlyList<string>> _batches = Batches(recorded);
    private readonly Dictionary<string, List<TimeSpan>> _alone = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _bytes = new(StringComparer.Ordinal);

    /// <summary>The number of requests one replay sends.</summary>
    public int Requests => _batches.Sum(b => b.Count);

    /// <summary>The batches, as request counts (e.g. 1, 9: schema detection, then the nine reading queries at once).</summary>
    public string Shape => string.Join(" + ", _batches.Select(b => b.Count));

    /// <summary>Sends every batch in turn and returns the answers' bytes.</summary>
    public async Task<long> RunAsync(CancellationToken cancellationToken)
    {
        long bytes = 0;
        foreach (var batch in _batches)
        {
            var answers = await Task.WhenAll(batch.Select(key => AskAsync(key, cancellationToken)));
            bytes += answers.Sum();
        }

        return bytes;
    }

    /// <summary>Sends every request on its own, one after the other, noting each one's time to its answer's last byte.</summary>
    public async Task RunEachAloneAsync(CancellationToken cancellationToken)
    {
        foreach (var key in _batches.SelectMany(b => b))
        {
            var started = Stopwatch.GetTimestamp();
            _bytes[key] = await AskAsync(key, cancellationToken);
            var elapsed = Stopwatch.GetElapsedTime(started);
            if (!_alone.TryGetValue(key, out var times))
            {
                _alone[key] = times = [];
            }

            times.Add(elapsed);
        }
    }

    /// <summary>Each request's PromQL, answer size and times alone (<see cref="RunEachAloneAsync"/>), in the order the reader sends them.</summary>
    public IReadOnlyList<(string PromQl, long Bytes, IReadOnlyList<TimeSpan> Times)> Alone() =>
        _batches.SelectMany(b => b)
            .Where(_alone.ContainsKey)
            .Select(key => (PromQlOf(key), _bytes[key], (IReadOnlyList<TimeSpan>)_alone[key]))
            .ToArray();

    // The query parameter of the form, decoded (the form encodes spaces as '+').
    private static string PromQlOf(string key)
    {
        var form = key[(key.IndexOf('?', StringComparison.Ordinal) + 1)..];
        var query = form.Split('&').FirstOrDefault(p => p.StartsWith("query=", StringComparison.Ordinal)) ?? "query=";
        return Uri.UnescapeDataString(query["query=".Length..].Replace('+', ' '));
    }

    private static List<IReadOnlyList<string>> Batches(IReadOnlyList<MeteredRequest> recorded)
    {
        // A request belongs to the batch in flight when it was sent before any request of that batch was answered.
        var batches = new List<IReadOnlyList<string>>();
        var current = new List<string>();
        var firstEnd = long.MaxValue;
        foreach (var request in recorded.Where(r => r.Key is not null).OrderBy(r => r.Started))
        {
            if (current.Count > 0 && request.Started >= firstEnd)
            {
                batches.Add(current);
                current = [];
                firstEnd = long.MaxValue;
            }

            current.Add(request.Key!);
            firstEnd = Math.Min(firstEnd, request.Ended);
        }

        if (current.Count > 0)
        {
            batches.Add(current);
        }

        return batches;
    }

    private async Task<long> AskAsync(string key, CancellationToken cancellationToken)
    {
        var separator = key.IndexOf('?', StringComparison.Ordinal);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(baseUrl, key[..separator]))
        {
            Content = new StringContent(key[(separator + 1)..], Encoding.ASCII, "application/x-www-form-urlencoded"),
        };
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        response.EnsureSuccessStatusCode();
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        var counter = new CountingSink();
        await body.CopyToAsync(counter, cancellationToken);
        return counter.Length;
    }

    /// <summary>Discards what is written, counting it.</summary>
    private sealed class CountingSink : Stream
    {
        private long _length;

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => _length;

        public override long Position
        {
            get => _length;
            set => throw new NotSupportedException();
        }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => _length += count;

        public override void Write(ReadOnlySpan<byte> buffer) => _length += buffer.Length;

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            _length += buffer.Length;
            return ValueTask.CompletedTask;
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            _length += count;
            return Task.CompletedTask;
        }
    }
}
