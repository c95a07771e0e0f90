using System.Text;
using System.Text.Json.Nodes;

namespace Scheduler.Extender.Tests.Fixtures;

/// <summary>The AdmissionReviews the API server sends (the samples of the Kubernetes tests), and the answers read back.</summary>
internal static class AdmissionReviewBodies
{
    public static JsonObject Job() => Load("job-create.json");

    public static JsonObject Pod() => Load("pod-create.json");

    public static StringContent Content(this JsonObject review) => new(review.ToJsonString(), Encoding.UTF8, "application/json");

    /// <summary>The response's JSON Patch, decoded from base64.</summary>
    public static string PatchText(JsonNode review) =>
        Encoding.UTF8.GetString(Convert.FromBase64String((string)review["response"]!["patch"]!));

    private static JsonObject Load(string name) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "TestData", "Admission", name)))!.AsObject();
}
