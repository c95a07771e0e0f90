using System.Diagnostics;

namespace Scheduler.Benchmarks.KeplerRefresh;

/// <summary>One Prometheus request as the meter saw it.</summary>
/// <param name="Started">When it was sent (<see cref="Stopwatch.GetTimestamp"/>).</param>
/// <param name="Ended">When the last byte of the answer was read, or the answer was dropped.</param>
/// <param name="Bytes">The bytes of the answer's body, as sent (Prometheus compresses only when asked, and the client does not ask).</param>
/// <param name="Key">The request's path and form; set only while recording.</param>
/// <param name="Body">The answer's body; set only while recording.</param>
/// <param name="ContentType">The answer's content type; set only while recording.</param>
internal sealed record MeteredRequest(long Started, long Ended, long Bytes, string? Key, byte[]? Body, string? ContentType)
{
    /// <summary>Time to the last byte of the answer.</summary>
    public TimeSpan Duration => Stopwatch.GetElapsedTime(Started, Ended);
}

/// <summary>
/// Sits between <see cref="Scheduler.Signals.Prometheus.PrometheusClient"/> and the network and notes, for every
/// request, when it was sent, when the answer's last byte arrived and how large the answer was; when recording, it
/// also keeps each request's form and answer, so that the same questions can be asked again without the client
/// (<see cref="PrometheusReplay"/>) or the same answers given without Prometheus (<see cref="RecordedPrometheus"/>).
/// </summary>
internal sealed class PrometheusMeter(HttpMessageHandler inner) : DelegatingHandler(inner)
{
    private readonly Lock _sync = new();
    private readonly List<MeteredRequest> _requests = [];

    /// <summary>Whether requests' forms and answers are kept.</summary>
    public bool Recording { get; set; }

    /// <summary>The number of requests seen so far, to take the ones of a later step with <see cref="Since"/>.</summary>
    public int Count
    {
        get
        {
            lock (_sync)
            {
                return _requests.Count;
            }
        }
    }

    /// <summary>The requests completed since the <paramref name="mark"/>-th, in the order they completed.</summary>
    public IReadOnlyList<MeteredRequest> Since(int mark)
    {
        lock (_sync)
        {
            return _requests.Skip(mark).ToArray();
        }
    }

    /// <summary>The path and form of a request, as <see cref="RecordedPrometheus"/> and <see cref="PrometheusReplay"/> look it up.</summary>
    public static async Task<string> KeyOf(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var form = request.Content is null ? string.Empty : await request.Content.ReadAsStringAsync(cancellationToken);
        return $"{request.RequestUri!.AbsolutePath}?{form}";
    }

    /// <inheritdoc />
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var key = Recording ? await KeyOf(request, cancellationToken) : null;
        var started = Stopwatch.GetTimestamp();
        var response = await base.SendAsync(request, cancellationToken);
        var original = response.Content;
        var metered = new StreamContent(new MeteredStream(await original.ReadAsStreamAsync(cancellationToken), this, started, key, original.Headers.ContentType?.ToString()));
        foreach (var header in original.Headers)
        {
            metered.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        response.Content = metered;
        return response;
    }

    private void Complete(MeteredRequest request)
    {
        lock (_sync)
        {
            _requests.Add(request);
        }
    }

    /// <summary>The answer's body as the client reads it, counted (and copied when recording) on the way.</summary>
    private sealed class MeteredStream(Stream inner, PrometheusMeter meter, long started, string? key, string? contentType) : Stream
    {
        private readonly MemoryStream? _copy = key is null ? null : new MemoryStream();
        private long _bytes;
        private bool _completed;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => _bytes;
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => Counted(buffer.AsSpan(offset, count), inner.Read(buffer, offset, count));

        public override int Read(Span<byte> buffer) => Counted(buffer, inner.Read(buffer));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var read = await inner.ReadAsync(buffer, cancellationToken);
            return Counted(buffer.Span, read);
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                Complete();
                inner.Dispose();
                _copy?.Dispose();
            }

            base.Dispose(disposing);
        }

        private int Counted(ReadOnlySpan<byte> buffer, int read)
        {
            _bytes += read;
            _copy?.Write(buffer[..read]);
            if (read == 0)
            {
                Complete();
            }

            return read;
        }

        private void Complete()
        {
            if (_completed)
            {
                return;
            }

            _completed = true;
            meter.Complete(new MeteredRequest(started, Stopwatch.GetTimestamp(), _bytes, key, _copy?.ToArray(), contentType));
        }
    }
}

/// <summary>
/// Answers every request with the answer recorded for the same path and form, without Prometheus: what is left of
/// a read is then the client's work (buffering, parsing) and the reader's.
/// </summary>
internal sealed class RecordedPrometheus(IReadOnlyList<MeteredRequest> recorded) : HttpMessageHandler
{
    private readonly Dictionary<string, MeteredRequest> _answers = recorded
        .Where(r => r.Key is not null && r.Body is not null)
        .GroupBy(r => r.Key!, StringComparer.Ordinal)
        .ToDictionary(g => g.Key, g => g.Last(), StringComparer.Ordinal);

    /// <inheritdoc />
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var key = await PrometheusMeter.KeyOf(request, cancellationToken);
        if (!_answers.TryGetValue(key, out var answer))
        {
            throw new InvalidOperationException($"No recorded answer to {key}.");
        }

        var content = new ByteArrayContent(answer.Body!);
        if (answer.ContentType is not null)
        {
            content.Headers.TryAddWithoutValidation("Content-Type", answer.ContentType);
        }

        return new HttpResponseMessage(System.Net.HttpStatusCode.OK) { Content = content, RequestMessage = request };
    }
}
