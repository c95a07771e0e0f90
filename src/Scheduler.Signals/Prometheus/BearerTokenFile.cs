using Scheduler.Signals.Secrets;

namespace Scheduler.Signals.Prometheus;

/// <summary>A bearer token kept in a file (a mounted Secret or a service-account token).</summary>
public static class BearerTokenFile
{
    /// <summary>
    /// A reader of the token in <paramref name="path"/>, read on every call so a rotated token is
    /// picked up without a restart; <c>null</c> tokens when no path is configured.
    /// </summary>
    public static Func<string?> Reader(string? path) => () =>
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            return null;
        }

        try
        {
            return SecretFile.Read(path);
        }
        catch (SecretFileException e)
        {
            var detail = e.Problem == SecretFileProblem.Empty ? "is empty" : $"cannot be read: {e.InnerException!.Message}";
            throw new PrometheusException(PrometheusErrorKind.Auth, $"the token file {path} {detail}", e.InnerException);
        }
    };
}
