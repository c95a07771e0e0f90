using System.Globalization;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Scheduler.Kubernetes.Deferral;

/// <summary>
/// Records Kubernetes Events on Jobs (<c>kubectl describe job</c> shows them). Best effort: an Event
/// that cannot be written is logged and never holds up a decision.
/// </summary>
public sealed partial class JobEvents(IKubernetes client, TimeProvider time, ILogger<JobEvents> logger)
{
    /// <summary>The component named as the Events' source.</summary>
    public const string Component = "carbon-aware-scheduler";

    /// <summary>Records an Event of <paramref name="type"/> (<c>Normal</c> or <c>Warning</c>) on <paramref name="job"/>.</summary>
    public async Task RecordAsync(V1Job job, string type, string reason, string message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        var now = time.GetUtcNow().UtcDateTime;
        var key = job.KeyOf();
        var body = new Corev1Event
        {
            Metadata = new V1ObjectMeta
            {
                // As client-go names them: the object's name and a unique suffix.
                Name = string.Create(CultureInfo.InvariantCulture, $"{key.Name}.{now.Ticks:x}{Random.Shared.Next(0x1000):x3}"),
                NamespaceProperty = key.Namespace,
            },
            InvolvedObject = new V1ObjectReference
            {
                ApiVersion = "batch/v1",
                Kind = "Job",
                Name = key.Name,
                NamespaceProperty = key.Namespace,
                Uid = job.Metadata?.Uid,
                ResourceVersion = job.Metadata?.ResourceVersion,
            },
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
            await client.CoreV1.CreateNamespacedEventAsync(body, key.Namespace, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogEventFailed(logger, e, reason, key);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not record the {Reason} Event on Job {Job}")]
    private static partial void LogEventFailed(ILogger logger, Exception exception, string reason, JobKey job);
}
