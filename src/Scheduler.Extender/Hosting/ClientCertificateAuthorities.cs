using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Scheduler.Extender.Hosting;

/// <summary>
/// The CAs of <see cref="TlsOptions.ClientCaFile"/>, which client certificates must chain to, reloaded when the
/// file changes (cert-manager renews the Secret in place). Only these CAs are trusted: never the system's roots.
/// </summary>
internal sealed partial class ClientCertificateAuthorities(IOptions<TlsOptions> options, TimeProvider time, ILogger<ClientCertificateAuthorities> logger)
{
    // As for the serving certificate: a check a minute follows a renewal and keeps requests cheap.
    private static readonly TimeSpan CheckInterval = TimeSpan.FromMinutes(1);

    // Verdicts are kept per certificate (its holder proved the key in the handshake) and checked again after
    // CheckInterval; more distinct certificates than this clear the cache rather than grow it.
    private const int MaxCachedVerdicts = 10_000;

    private static readonly Oid ClientAuthentication = new("1.3.6.1.5.5.7.3.2", "Client Authentication");

    private readonly Lock _lock = new();
    private readonly ConcurrentDictionary<string, Verdict> _verdicts = new(StringComparer.Ordinal);
    private X509Certificate2Collection? _current;
    private byte[] _bytes = [];
    private int _generation;
    private DateTimeOffset _checkedAt;

    /// <summary>Loads the certificates of a PEM bundle, or says why they cannot be used (naming the setting and the file).</summary>
    public static (X509Certificate2Collection? Certificates, string? Error) Load(string file)
    {
        var certificates = new X509Certificate2Collection();
        try
        {
            certificates.ImportFromPemFile(file);
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            DisposeAll(certificates);
            return (null, $"Tls:ClientCaFile '{file}' cannot be loaded as PEM CA certificates: {e.Message}");
        }

        if (certificates.Count == 0)
        {
            return (null, $"Tls:ClientCaFile '{file}' holds no PEM certificate (-----BEGIN CERTIFICATE-----).");
        }

        return (certificates, null);
    }

    /// <summary>Disposes every certificate of a collection (the collection itself holds nothing to dispose).</summary>
    public static void DisposeAll(X509Certificate2Collection? certificates)
    {
        foreach (var certificate in certificates ?? [])
        {
            certificate.Dispose();
        }
    }

    /// <summary>
    /// Whether <paramref name="certificate"/> is a client certificate issued by the configured CAs, now. Intermediate
    /// certificates the client sent are taken from <paramref name="presented"/> (the handshake's chain) when given.
    /// Never throws: a certificate that cannot be checked is not trusted.
    /// </summary>
    public ClientCertificateVerdict Check(X509Certificate2? certificate, X509Chain? presented = null)
    {
        if (certificate is null)
        {
            return ClientCertificateVerdict.Missing;
        }

        try
        {
            var (authorities, generation) = Current();
            var now = time.GetUtcNow();
            var key = certificate.GetCertHashString(HashAlgorithmName.SHA256);
            if (_verdicts.TryGetValue(key, out var cached) && cached.Generation == generation && now - cached.CheckedAt < CheckInterval)
            {
                return cached.Value;
            }

            var verdict = Validate(certificate, authorities, presented);
            if (_verdicts.Count >= MaxCachedVerdicts)
            {
                _verdicts.Clear();
            }

            _verdicts[key] = new Verdict(verdict, generation, now);
            return verdict;
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException or ArgumentException or InvalidOperationException)
        {
            LogCheckFailed(logger, e);
            return ClientCertificateVerdict.Untrusted;
        }
    }

    private static ClientCertificateVerdict Validate(X509Certificate2 certificate, X509Certificate2Collection authorities, X509Chain? presented)
    {
        using var chain = new X509Chain();
        var policy = chain.ChainPolicy;
        policy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        policy.CustomTrustStore.AddRange(authorities);
        policy.RevocationMode = X509RevocationMode.NoCheck;
        policy.DisableCertificateDownloads = true;
        policy.ApplicationPolicy.Add(ClientAuthentication);
        if (presented is not null)
        {
            policy.ExtraStore.AddRange(presented.ChainPolicy.ExtraStore);
        }

        return chain.Build(certificate) ? ClientCertificateVerdict.Trusted : ClientCertificateVerdict.Untrusted;
    }

    // The CAs, read again first if the file changed since the last check.
    private (X509Certificate2Collection Authorities, int Generation) Current()
    {
        lock (_lock)
        {
            var now = time.GetUtcNow();
            if (_current is null || now - _checkedAt >= CheckInterval)
            {
                _checkedAt = now;
                Refresh();
            }

            return (_current!, _generation);
        }
    }

    private void Refresh()
    {
        var file = options.Value.ClientCaFile!;
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(file);
        }
        catch (Exception e) when (_current is not null && e is IOException or UnauthorizedAccessException)
        {
            LogReloadFailed(logger, file, e.Message);
            return;
        }

        if (_current is not null && bytes.AsSpan().SequenceEqual(_bytes))
        {
            return;
        }

        var (certificates, error) = Load(file);
        if (certificates is null)
        {
            if (_current is null)
            {
                // Validated at start-up, so only a file replaced since then gets here: trust nobody rather than anybody.
                LogLoadFailed(logger, file, error!);
                _current = [];
                _generation++;
                return;
            }

            // A renewal caught half-written: keep the previous CAs and try again later.
            LogReloadFailed(logger, file, error!);
            return;
        }

        // The previous collection is not disposed: a check in flight may still be using it.
        (_current, _bytes) = (certificates, bytes);
        _generation++;
        _verdicts.Clear();
        LogLoaded(logger, file, certificates.Count);
    }

    private readonly record struct Verdict(ClientCertificateVerdict Value, int Generation, DateTimeOffset CheckedAt);

    [LoggerMessage(Level = LogLevel.Information, Message = "Client CA certificates loaded from {ClientCaFile}: {Count}")]
    private static partial void LogLoaded(ILogger logger, string clientCaFile, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The client CA file {ClientCaFile} cannot be loaded ({Problem}); the previous CAs are kept")]
    private static partial void LogReloadFailed(ILogger logger, string clientCaFile, string problem);

    [LoggerMessage(Level = LogLevel.Error, Message = "The client CA file {ClientCaFile} cannot be loaded ({Problem}); no client certificate is trusted until it can")]
    private static partial void LogLoadFailed(ILogger logger, string clientCaFile, string problem);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A client certificate could not be checked; it is not trusted")]
    private static partial void LogCheckFailed(ILogger logger, Exception exception);
}

/// <summary>What a request's client certificate is worth.</summary>
internal enum ClientCertificateVerdict
{
    /// <summary>Issued by a configured CA, valid now, usable for client authentication.</summary>
    Trusted,

    /// <summary>No certificate presented.</summary>
    Missing,

    /// <summary>Presented, but not issued by a configured CA, expired, or not for client authentication.</summary>
    Untrusted,
}
