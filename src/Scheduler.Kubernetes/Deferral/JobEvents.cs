using System.Globalization;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Scheduler.Kubernetes.Deferral;

/// <summary>
/// Records Kubernetes Events on Jobs and Pods (<c>kubectl describe</c> shows them). Best effort: an Event
/// that cannot be written is logged and never holds up a decision.
/// </summary>
public sealed partial class JobEvents(IKubernetes client, TimeProvider time, ILogger<JobEvents> logger)
{
    /// <summary>The component named as the Events' source.</summary>
    public const string Component = "carbon-aware-scheduler";

    /// <summary>Records an Event of <paramref name="type"/> (<c>Normal</c> or <c>Warning</c>) on <paramref name="job"/>.</summary>
    public Task RecordAsync(V1Job job, string type, string reason, string message, CancellationToken cancellationToken) =>
        RecordAsync(ReferenceTo(job), type, reason, message, cancellationToken);

    /// <summary>Records an Event of <paramref name="type"/> (<c>Normal</c> or <c>Warning</c>) on the object <paramref name="involved"/> names.</summary>
    public async Task RecordAsync(V1ObjectReference involved, string type, string reason, string message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(involved);
        var now = time.GetUtcNow().UtcDateTime;
        var body = new Corev1Event
        {
            Metadata = new V1ObjectMeta
            {
                // As client-go names them: the object's name and a unique suffix.
                Name = string.Create(CultureInfo.InvariantCulture, $"{involved.Name}.{now.Ticks:x}{Random.Shared.Next(0x1000):x3}"),
                NamespaceProperty = involved.NamespaceProperty,
            },
            InvolvedObject = involved,
            Reason = reason,
            Message = message,
            Type = type,
            Source = new V1EventSource { Component = Component },
            ReportingComponent = Component,
            ReportingInstance = Environment.MachineName,
            FirstTimestamp = now,
            LastTimestamp = now,
            Count = 1,
        };
        try
        {
            await client.CoreV1.CreateNamespacedEventAsync(body, involved.NamespaceProperty, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogEventFailed(logger, e, reason, involved.Kind, $"{involved.NamespaceProperty}/{involved.Name}");
        }
    }

    /// <summary>The reference an Event on <paramref name="job"/> names it by.</summary>
    public static V1ObjectReference ReferenceTo(V1Job job)
    {
        ArgumentNullException.ThrowIfNull(job);
        var key = job.KeyOf();
        return Reference("batch/v1", V1Job.KubeKind, key, job.Metadata);
    }

    /// <summary>The reference an Event on <paramref name="pod"/> names it by.</summary>
    public static V1ObjectReference ReferenceTo(V1Pod pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var key = pod.KeyOf();
        return Reference("v1", V1Pod.KubeKind, key, pod.Metadata);
    }

    private static V1ObjectReference Reference(string apiVersion, string kind, JobKey key, V1ObjectMeta? metadata) => new()
    {
        ApiVersion = apiVersion,
        Kind = kind,
        Name = key.Name,
        NamespaceProperty = key.Namespace,
        Uid = metadata?.Uid,
        ResourceVersion = metadata?.ResourceVersion,
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not record the {Reason} Event on {Kind} {Object}")]
    private static partial void LogEventFailed(ILogger logger, Exception exception, string reason, string kind, string @object);
}
