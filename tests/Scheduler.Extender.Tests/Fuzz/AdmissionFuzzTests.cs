using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using Microsoft.Extensions.DependencyInjection;
using Scheduler.Core.Annotations;
using Scheduler.Core.Deferral;
using Scheduler.Extender.Tests.Fixtures;
using Scheduler.Kubernetes.Admission;
using Scheduler.Tests.Shared.Fuzzing;

namespace Scheduler.Extender.Tests.Fuzz;

/// <summary>
/// The admission webhook under mutated AdmissionReviews (a 200 review or a 400 with a message, never
/// a 500 or an internal fault) and under Jobs with random carbon annotations (answered every time:
/// held when valid, allowed with warnings when invalid, denied only when invalid and strict).
/// </summary>
[Trait("Category", FuzzRun.Category)]
public class AdmissionFuzzTests(AdmissionServerFixture fixture) : IClassFixture<AdmissionServerFixture>
{
    [Fact]
    public void MutatedReviews_Are200ReviewsOr400WithAMessage()
    {
        string[] bases = [AdmissionReviewBodies.Job().ToJsonString(), AdmissionReviewBodies.Pod().ToJsonString()];
        FuzzRun.Cases(seed: 1729, iterations: 600, (random, i) =>
        {
            var path = i % 2 == 0 ? "/mutate/jobs" : "/mutate/pods";
            var mutant = JsonMutator.Mutate(bases[random.Next(bases.Length)], random);
            var problem = Check(path, mutant.Bytes, annotations: null);
            return problem is null ? null : $"{path}: {problem} (mutations: {mutant.Describe()}); request: {FuzzRun.Show(mutant.Bytes)}";
        });
    }

    [Fact]
    public void JobsWithRandomAnnotations_AreAnsweredAndNeverHeldWhenInvalid()
    {
        Prop.ForAll(AnnotationGenerator.Maps().ToArbitrary(), annotations =>
        {
            var review = AdmissionReviewBodies.Job();
            review["request"]!["object"]!["metadata"]!["annotations"] = new JsonObject(annotations.Select(a => KeyValuePair.Create(a.Key, (JsonNode?)a.Value)));
            var problem = Check("/mutate/jobs", Encoding.UTF8.GetBytes(review.ToJsonString()), annotations);
            Assert.True(problem is null, problem);
        }).Check(FuzzRun.Properties(seed: 31337, iterations: 300));
    }

    [Theory]
    [InlineData("/mutate/jobs")]
    [InlineData("/mutate/pods")]
    public void ReviewWithInvalidUtf8_Is400(string path)
    {
        // Found by the mutation property: one invalid byte anywhere in the object was an HTTP 500.
        var body = Encoding.UTF8.GetBytes(AdmissionReviewBodies.Job().ToJsonString().Replace("nightly-etl", "nightly\u0001etl", StringComparison.Ordinal));
        body[Array.IndexOf(body, (byte)1)] = 0xFF;

        var answer = ExtenderContract.Post(fixture.Https, path, body);

        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Contains("not valid UTF-8", answer.Body, StringComparison.Ordinal);
    }

    [Fact]
    public void ReviewWithAHalfSurrogateInTheUid_Is400()
    {
        // Found by the mutation property: valid UTF-8 escaping half a surrogate pair was an HTTP 500.
        var body = Encoding.UTF8.GetBytes(AdmissionReviewBodies.Job().ToJsonString().Replace("0df28fbd-5f5f-4d4b-9c7e-3a1b6a2f7c41", "\\ud800", StringComparison.Ordinal));

        var answer = ExtenderContract.Post(fixture.Https, "/mutate/jobs", body);

        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Contains("request.uid is not a valid string", answer.Body, StringComparison.Ordinal);
    }

    [Fact]
    public void JobWithAMalformedQuantity_Is400NotAnInternalFault()
    {
        // Found by the mutation property: KubernetesClient throws ArgumentException on "8Gix", which
        // was answered as an internal fault instead of as an unreadable Job.
        var review = AdmissionReviewBodies.Job();
        review["request"]!["object"]!["spec"]!["template"]!["spec"]!["containers"]![0]!["resources"]!["requests"]!["memory"] = "8Gix";

        var problem = Check("/mutate/jobs", Encoding.UTF8.GetBytes(review.ToJsonString()), annotations: null);
        var answer = ExtenderContract.Post(fixture.Https, "/mutate/jobs", Encoding.UTF8.GetBytes(review.ToJsonString()));

        Assert.Null(problem);
        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Contains("not a readable batch/v1 Job", answer.Body, StringComparison.Ordinal);
    }

    // The answer to one review: a 400 with a message, or a 200 review for the same uid whose decision
    // matches the annotations (when they are known); and no internal fault behind it.
    private string? Check(string path, byte[] body, Dictionary<string, string>? annotations)
    {
        var verb = "mutate/" + path.Split('/')[^1];
        var faults = Faults(verb);
        ExtenderContract.Answer answer;
        try
        {
            answer = ExtenderContract.Post(fixture.Https, path, body);
        }
        catch (HttpRequestException e)
        {
            return $"the connection failed: {e.Message}";
        }

        var problem = answer.Status switch
        {
            HttpStatusCode.OK => CheckReview(answer.Body, annotations),
            HttpStatusCode.BadRequest when annotations is not null => $"a well-formed review was refused: {answer.Body}",
            HttpStatusCode.BadRequest => ExtenderContract.CheckError(answer.Body),
            _ => $"HTTP {(int)answer.Status}: {FuzzRun.Show(answer.Body)}",
        };
        return problem ?? (Faults(verb) != faults ? "answered after an internal fault" : null);
    }

    private string? CheckReview(string body, Dictionary<string, string>? annotations)
    {
        JsonNode? review;
        try
        {
            review = JsonNode.Parse(body);
        }
        catch (JsonException e)
        {
            return $"a 200 whose body is not JSON ({e.Message})";
        }

        if ((string?)review?["apiVersion"] != "admission.k8s.io/v1" || (string?)review["kind"] != "AdmissionReview" || review["response"]?["allowed"] is not JsonValue allowedValue)
        {
            return $"a 200 that is not an AdmissionReview response: {FuzzRun.Show(body)}";
        }

        if (annotations is null)
        {
            return null;
        }

        var response = review["response"]!;
        var allowed = allowedValue.GetValue<bool>();
        var patch = response["patch"] is JsonValue p ? Encoding.UTF8.GetString(Convert.FromBase64String(p.GetValue<string>())) : string.Empty;
        var warnings = response["warnings"]?.AsArray().Select(w => (string?)w ?? string.Empty).ToList() ?? [];
        var policy = fixture.Server.Services.GetRequiredService<DeferralAdmissionPolicy>();
        var reading = DeferralRequestReader.Read(annotations, ExtenderServer.Now, policy.Settings);
        var held = patch.Contains("/spec/suspend", StringComparison.Ordinal);
        if (reading.AsksForDeferral && reading.Request is null)
        {
            // Invalid: never held; denied only when strict, else allowed with every problem as a warning.
            var shown = reading.Strict ? (string?)response["status"]?["message"] ?? string.Empty : string.Join("\n", warnings);
            var unnamed = reading.Errors.Select(e => e.Split(':')[0]).Where(key => !shown.Contains(key, StringComparison.Ordinal)).ToList();
            return held ? "an invalid Job was held"
                : allowed == reading.Strict ? $"allowed={allowed} for an invalid Job with strict={reading.Strict}"
                : unnamed.Count > 0 ? $"the answer does not name {string.Join(", ", unnamed)}: {FuzzRun.Show(shown)}"
                : null;
        }

        // Valid: held, unless the user asked for it to run at once.
        var shouldHold = reading.Request is { ReleaseNow: false };
        return !allowed ? $"a Job with {(reading.Request is null ? "no deferral" : "valid")} annotations was denied"
            : held != shouldHold ? $"held={held} for a Job whose annotations are {(reading.Deferrable ? "valid" : "not a deferral request")}"
            : null;
    }

    private double Faults(string verb)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/metrics", UriKind.Relative));
        using var response = fixture.Server.Client.Send(request);
        using var reader = new StreamReader(response.Content.ReadAsStream());
        return MetricsScrape.Parse(reader.ReadToEnd()).Value($"carbon_extender_faults_total{{verb=\"{verb}\"}}") ?? 0;
    }
}
