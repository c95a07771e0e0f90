namespace Scheduler.Kubernetes.Tests.Fakes;

/// <summary>An answer <see cref="FakeKubernetesApiServer"/> gives instead of the real one, once.</summary>
/// <param name="Kind">The requests it applies to, or <c>null</c> for any.</param>
/// <param name="StatusCode">The HTTP status code.</param>
/// <param name="ContentType">The body's content type.</param>
/// <param name="Body">The body.</param>
/// <param name="RetryAfterSeconds">The <c>Retry-After</c> header, or <c>null</c> for none.</param>
internal sealed record InjectedFailure(ApiRequestKind? Kind, int StatusCode, string ContentType, string Body, int? RetryAfterSeconds = null);
