using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Scheduler.Core.Scoring;
using Scheduler.Kubernetes.Admission;
using Scheduler.Kubernetes.Deferral;

namespace Scheduler.Kubernetes.Tests.Admission;

/// <summary>
/// AdmissionReviews as the API server sends them (<c>TestData/Admission</c>), edited per test, and
/// the webhook's answer read back as JSON, with the patch decoded from base64.
/// </summary>
internal static class AdmissionReviews
{
    /// <summary>A winter evening; the samples' deadlines are the next morning.</summary>
    public static readonly DateTimeOffset Now = new(2026, 1, 14, 18, 0, 0, TimeSpan.Zero);

    /// <summary>Deferral switched on, as in a cluster that runs the controller.</summary>
    public static DeferralOptions Enabled() => new() { Enabled = true };

    /// <summary>The review of <c>kubectl apply</c> of a Job with a deadline and a duration.</summary>
    public static JsonObject Job() => Load("job-create.json");

    /// <summary>The review of <c>kubectl create</c> of a bare Pod with a max-delay and a duration.</summary>
    public static JsonObject Pod() => Load("pod-create.json");

    public static JsonObject Request(this JsonObject review) => review["request"]!.AsObject();

    public static JsonObject Object(this JsonObject review) => review.Request()["object"]!.AsObject();

    public static JsonObject Metadata(this JsonObject review) => review.Object()["metadata"]!.AsObject();

    public static JsonObject Spec(this JsonObject review) => review.Object()["spec"]!.AsObject();

    public static JsonObject Annotations(this JsonObject review) => review.Metadata()["annotations"]!.AsObject();

    public static JsonObject WithAnnotation(this JsonObject review, string key, string value)
    {
        review.Annotations()[key] = value;
        return review;
    }

    public static JsonObject WithoutAnnotation(this JsonObject review, string key)
    {
        review.Annotations().Remove(key);
        return review;
    }

    public static JsonObject WithLabel(this JsonObject review, string key, string value)
    {
        if (review.Metadata()["labels"] is not JsonObject labels)
        {
            labels = [];
            review.Metadata()["labels"] = labels;
        }

        labels[key] = value;
        return review;
    }

    /// <summary>The answer of the Job webhook to <paramref name="review"/>.</summary>
    public static Answer Jobs(JsonObject review, DeferralOptions? options = null) =>
        Answer.Of(review, new JobAdmission(Policy(options)));

    /// <summary>The answer of the Pod webhook to <paramref name="review"/>.</summary>
    public static Answer Pods(JsonObject review, DeferralOptions? options = null) =>
        Answer.Of(review, new PodAdmission(Policy(options)));

    public static DeferralAdmissionPolicy Policy(DeferralOptions? options = null) =>
        new(Options.Create(options ?? Enabled()), Options.Create(new ScoringOptions()), new FakeTimeProvider(Now));

    private static JsonObject Load(string name) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "TestData", "Admission", name)))!.AsObject();
}

/// <summary>The webhook's response review, parsed.</summary>
internal sealed record Answer(JsonObject Review, AdmissionDecision Decision)
{
    public JsonObject Response => Review["response"]!.AsObject();

    public bool Allowed => (bool)Response["allowed"]!;

    public IReadOnlyList<string> Warnings => Response["warnings"] is JsonArray warnings ? [.. warnings.Select(w => (string)w!)] : [];

    /// <summary>The JSON Patch, decoded from base64; <c>null</c> when there is none.</summary>
    public JsonArray? Patch => Response["patch"] is { } patch ? JsonNode.Parse(Convert.FromBase64String((string)patch!))!.AsArray() : null;

    /// <summary>The patch exactly as sent, decoded from base64, for exact comparison.</summary>
    public string? PatchText => Response["patch"] is { } patch ? Encoding.UTF8.GetString(Convert.FromBase64String((string)patch!)) : null;

    public static Answer Of(JsonObject review, IAdmissionReviewer reviewer)
    {
        var request = AdmissionReviewReader.Read(Encoding.UTF8.GetBytes(review.ToJsonString()));
        var decision = reviewer.Review(request);
        var json = AdmissionReviewWriter.Write(request, decision);
        return new Answer(JsonNode.Parse(json)!.AsObject(), decision);
    }
}
