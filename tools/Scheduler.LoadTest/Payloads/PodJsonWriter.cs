using System.Globalization;
using System.Text.Json;

namespace Scheduler.LoadTest.Payloads;

/// <summary>
/// Writes the Pod of an <c>ExtenderArgs</c> as kube-scheduler sends it: the whole object, with the
/// service-account volume, probes and default tolerations the API server adds, not just the
/// resources the extender reads.
/// </summary>
internal static class PodJsonWriter
{
    /// <summary>Writes <paramref name="pod"/> as the value of the current property.</summary>
    public static void Write(Utf8JsonWriter writer, PodShape pod)
    {
        var app = pod.Name.Split('-')[0];
        writer.WriteStartObject();
        writer.WriteStartObject("metadata");
        writer.WriteString("name", pod.Name);
        writer.WriteString("generateName", pod.Name[..(pod.Name.LastIndexOf('-') + 1)]);
        writer.WriteString("namespace", pod.Namespace);
        writer.WriteString("uid", "5b1f0c6e-3a4d-4c1b-9f7e-2d8a6b0e4c13");
        writer.WriteString("resourceVersion", "812734411");
        writer.WriteString("creationTimestamp", "2025-06-02T07:59:58Z");
        writer.WriteStartObject("labels");
        writer.WriteString("app.kubernetes.io/name", app);
        writer.WriteString("app.kubernetes.io/part-of", pod.Namespace);
        writer.WriteString("pod-template-hash", "7d9f8c6b5d");
        writer.WriteEndObject();
        writer.WriteStartObject("annotations");
        if (pod.Duration is not null)
        {
            writer.WriteString("carbon-aware.io/duration", pod.Duration);
        }

        if (pod.MaxIntensity is { } cap)
        {
            writer.WriteString("carbon-aware.io/max-intensity", cap.ToString(CultureInfo.InvariantCulture));
        }

        writer.WriteString("kubectl.kubernetes.io/restartedAt", "2025-05-28T14:03:11Z");
        writer.WriteString("prometheus.io/scrape", "true");
        writer.WriteEndObject();
        writer.WriteStartArray("ownerReferences");
        writer.WriteStartObject();
        writer.WriteString("apiVersion", pod.Duration is null ? "apps/v1" : "batch/v1");
        writer.WriteString("kind", pod.Duration is null ? "ReplicaSet" : "Job");
        writer.WriteString("name", pod.Name[..pod.Name.LastIndexOf('-')]);
        writer.WriteString("uid", "0c7d2a91-6f43-4e8b-b1a5-93e4f2d7c6a8");
        writer.WriteBoolean("controller", true);
        writer.WriteBoolean("blockOwnerDeletion", true);
        writer.WriteEndObject();
        writer.WriteEndArray();
        writer.WriteEndObject();

        writer.WriteStartObject("spec");
        writer.WriteStartArray("volumes");
        writer.WriteStartObject();
        writer.WriteString("name", "kube-api-access-7xk2q");
        writer.WriteStartObject("projected");
        writer.WriteStartArray("sources");
        writer.WriteStartObject();
        writer.WriteStartObject("serviceAccountToken");
        writer.WriteNumber("expirationSeconds", 3607);
        writer.WriteString("path", "token");
        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.WriteStartObject();
        writer.WriteStartObject("configMap");
        writer.WriteString("name", "kube-root-ca.crt");
        writer.WriteStartArray("items");
        writer.WriteStartObject();
        writer.WriteString("key", "ca.crt");
        writer.WriteString("path", "ca.crt");
        writer.WriteEndObject();
        writer.WriteEndArray();
        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.WriteEndArray();
        writer.WriteNumber("defaultMode", 420);
        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.WriteEndArray();

        writer.WriteStartArray("containers");
        writer.WriteStartObject();
        writer.WriteString("name", app);
        writer.WriteString("image", $"123456789012.dkr.ecr.eu-central-1.amazonaws.com/{pod.Namespace}/{app}:2025.05.28-3f9c2e1");
        writer.WriteStartArray("args");
        writer.WriteStringValue("--config=/etc/app/config.yaml");
        writer.WriteStringValue("--log-format=json");
        writer.WriteEndArray();
        writer.WriteStartArray("ports");
        writer.WriteStartObject();
        writer.WriteString("name", "http");
        writer.WriteNumber("containerPort", 8080);
        writer.WriteString("protocol", "TCP");
        writer.WriteEndObject();
        writer.WriteEndArray();
        writer.WriteStartArray("env");
        foreach (var (name, value) in new[] { ("ASPNETCORE_URLS", "http://+:8080"), ("OTEL_EXPORTER_OTLP_ENDPOINT", "http://otel-collector.observability:4317"), ("OTEL_SERVICE_NAME", app), ("DOTNET_gcServer", "1") })
        {
            writer.WriteStartObject();
            writer.WriteString("name", name);
            writer.WriteString("value", value);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteStartObject("resources");
        writer.WriteStartObject("limits");
        writer.WriteString("memory", pod.MemoryRequest);
        if (pod.Gpus > 0)
        {
            writer.WriteString("nvidia.com/gpu", pod.Gpus.ToString(CultureInfo.InvariantCulture));
        }

        writer.WriteEndObject();
        writer.WriteStartObject("requests");
        writer.WriteString("cpu", pod.CpuRequest);
        writer.WriteString("memory", pod.MemoryRequest);
        if (pod.Gpus > 0)
        {
            writer.WriteString("nvidia.com/gpu", pod.Gpus.ToString(CultureInfo.InvariantCulture));
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.WriteStartArray("volumeMounts");
        writer.WriteStartObject();
        writer.WriteString("name", "kube-api-access-7xk2q");
        writer.WriteBoolean("readOnly", true);
        writer.WriteString("mountPath", "/var/run/secrets/kubernetes.io/serviceaccount");
        writer.WriteEndObject();
        writer.WriteEndArray();
        writer.WriteStartObject("readinessProbe");
        writer.WriteStartObject("httpGet");
        writer.WriteString("path", "/healthz");
        writer.WriteNumber("port", 8080);
        writer.WriteString("scheme", "HTTP");
        writer.WriteEndObject();
        writer.WriteNumber("timeoutSeconds", 1);
        writer.WriteNumber("periodSeconds", 10);
        writer.WriteNumber("successThreshold", 1);
        writer.WriteNumber("failureThreshold", 3);
        writer.WriteEndObject();
        writer.WriteString("terminationMessagePath", "/dev/termination-log");
        writer.WriteString("terminationMessagePolicy", "File");
        writer.WriteString("imagePullPolicy", "IfNotPresent");
        writer.WriteEndObject();
        writer.WriteEndArray();

        writer.WriteString("restartPolicy", pod.Duration is null ? "Always" : "OnFailure");
        writer.WriteNumber("terminationGracePeriodSeconds", 30);
        writer.WriteString("dnsPolicy", "ClusterFirst");
        writer.WriteString("serviceAccountName", "default");
        writer.WriteString("serviceAccount", "default");
        writer.WriteStartObject("securityContext");
        writer.WriteEndObject();
        writer.WriteString("schedulerName", "default-scheduler");
        writer.WriteStartArray("tolerations");
        WriteToleration(writer, "node.kubernetes.io/not-ready", "NoExecute", 300);
        WriteToleration(writer, "node.kubernetes.io/unreachable", "NoExecute", 300);
        if (pod.Gpus > 0)
        {
            WriteToleration(writer, "nvidia.com/gpu", "NoSchedule", null);
        }

        writer.WriteEndArray();
        writer.WriteNumber("priority", 0);
        writer.WriteBoolean("enableServiceLinks", true);
        writer.WriteString("preemptionPolicy", "PreemptLowerPriority");
        writer.WriteEndObject();

        writer.WriteStartObject("status");
        writer.WriteString("phase", "Pending");
        writer.WriteString("qosClass", "Burstable");
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static void WriteToleration(Utf8JsonWriter writer, string key, string effect, int? seconds)
    {
        writer.WriteStartObject();
        writer.WriteString("key", key);
        writer.WriteString("operator", "Exists");
        writer.WriteString("effect", effect);
        if (seconds is { } s)
        {
            writer.WriteNumber("tolerationSeconds", s);
        }

        writer.WriteEndObject();
    }
}
