using System.Text.Json.Nodes;
using Scheduler.Kubernetes.Admission;
using Scheduler.Kubernetes.Deferral;

namespace Scheduler.Kubernetes.Tests.Admission;

public class JobAdmissionTests
{
    private const string Suspend = """{"op":"add","path":"/spec/suspend","value":true}""";
    private const string StateHeld = """{"op":"add","path":"/metadata/annotations/carbon-aware.io~1state","value":"held"}""";

    [Fact]
    public void Review_JobWithDeadline_IsSuspendedAndMarkedHeld()
    {
        var answer = AdmissionReviews.Jobs(AdmissionReviews.Job());

        Assert.True(answer.Allowed);
        Assert.Equal(AdmissionOutcome.Held, answer.Decision.Outcome);
        Assert.Equal("JSONPatch", (string?)answer.Response["patchType"]);
        Assert.Equal($"[{Suspend},{StateHeld}]", answer.PatchText);
        Assert.Empty(answer.Warnings);
        Assert.Null(answer.Response["status"]);
    }

    [Fact]
    public void Review_AnyRequest_EchoesUidApiVersionAndKind()
    {
        var answer = AdmissionReviews.Jobs(AdmissionReviews.Job());

        Assert.Equal("admission.k8s.io/v1", (string?)answer.Review["apiVersion"]);
        Assert.Equal("AdmissionReview", (string?)answer.Review["kind"]);
        Assert.Equal("0df28fbd-5f5f-4d4b-9c7e-3a1b6a2f7c41", (string?)answer.Response["uid"]);
        Assert.Null(answer.Review["request"]);
    }

    [Fact]
    public void Review_JobWithMaxDelay_IsHeld()
    {
        var review = AdmissionReviews.Job().WithoutAnnotation("carbon-aware.io/deadline").WithAnnotation("carbon-aware.io/max-delay", "8h");

        var answer = AdmissionReviews.Jobs(review);

        Assert.Equal($"[{Suspend},{StateHeld}]", answer.PatchText);
    }

    [Fact]
    public void Review_DefaultedSuspendFalse_IsReplacedByAdd()
    {
        // The API server defaults spec.suspend to false before admission: "add" replaces it.
        var review = AdmissionReviews.Job();
        Assert.False((bool)review.Spec()["suspend"]!);

        var patch = AdmissionReviews.Jobs(review).Patch!;

        Assert.Equal("add", (string?)patch[0]!["op"]);
        Assert.Equal("/spec/suspend", (string?)patch[0]!["path"]);
        Assert.True((bool)patch[0]!["value"]!);
    }

    [Fact]
    public void Review_DryRunApiRequest_StillAnswersWithThePatch()
    {
        // The webhook has no side effects (sideEffects: None), so a kubectl --dry-run=server shows the real result.
        var review = AdmissionReviews.Job();
        review.Request()["dryRun"] = true;

        Assert.Equal(AdmissionOutcome.Held, AdmissionReviews.Jobs(review).Decision.Outcome);
    }

    [Theory]
    [InlineData("apps", "v1", "Deployment", "CREATE")]
    [InlineData("", "v1", "Pod", "CREATE")]
    [InlineData("batch", "v1", "CronJob", "CREATE")]
    [InlineData("batch", "v1", "Job", "UPDATE")]
    [InlineData("batch", "v1", "Job", "DELETE")]
    public void Review_NotAJobCreate_IsAllowedWithoutPatch(string group, string version, string kind, string operation)
    {
        var review = AdmissionReviews.Job();
        review.Request()["kind"] = new JsonObject { ["group"] = group, ["version"] = version, ["kind"] = kind };
        review.Request()["operation"] = operation;

        var answer = AdmissionReviews.Jobs(review);

        Assert.True(answer.Allowed);
        Assert.Equal(AdmissionOutcome.Untouched, answer.Decision.Outcome);
        Assert.Null(answer.Response["patch"]);
        Assert.Null(answer.Response["patchType"]);
        Assert.Empty(answer.Warnings);
        Assert.Equal("0df28fbd-5f5f-4d4b-9c7e-3a1b6a2f7c41", (string?)answer.Response["uid"]);
    }

    [Fact]
    public void Review_DeleteWithoutObject_IsAllowedWithoutReadingIt()
    {
        var review = AdmissionReviews.Job();
        review.Request()["operation"] = "DELETE";
        review.Request()["object"] = null;

        Assert.Equal(AdmissionOutcome.Untouched, AdmissionReviews.Jobs(review).Decision.Outcome);
    }

    [Fact]
    public void Review_StatusSubresource_IsAllowedWithoutPatch()
    {
        var review = AdmissionReviews.Job();
        review.Request()["subResource"] = "status";

        Assert.Null(AdmissionReviews.Jobs(review).Response["patch"]);
    }

    [Fact]
    public void Review_NoDeadlineOrMaxDelay_IsUntouchedSilently()
    {
        var review = AdmissionReviews.Job().WithoutAnnotation("carbon-aware.io/deadline");

        var answer = AdmissionReviews.Jobs(review);

        Assert.True(answer.Allowed);
        Assert.Null(answer.Response["patch"]);
        Assert.Empty(answer.Warnings);
    }

    [Fact]
    public void Review_JobWithoutAnyAnnotations_IsUntouched()
    {
        var review = AdmissionReviews.Job();
        review.Metadata().Remove("annotations");

        var answer = AdmissionReviews.Jobs(review);

        Assert.Equal(AdmissionOutcome.Untouched, answer.Decision.Outcome);
        Assert.Empty(answer.Warnings);
    }

    [Fact]
    public void Review_InvalidAnnotations_RunsNowWithAWarningPerProblem()
    {
        var review = AdmissionReviews.Job()
            .WithAnnotation("carbon-aware.io/deadline", "tomorrow morning")
            .WithAnnotation("carbon-aware.io/duration", "two hours");

        var answer = AdmissionReviews.Jobs(review);

        Assert.True(answer.Allowed);
        Assert.Equal(AdmissionOutcome.Untouched, answer.Decision.Outcome);
        Assert.Null(answer.Response["patch"]);
        Assert.Equal(3, answer.Warnings.Count);
        Assert.Contains("not deferred and runs now", answer.Warnings[0], StringComparison.Ordinal);
        Assert.Contains("carbon-aware.io/strict", answer.Warnings[0], StringComparison.Ordinal);
        Assert.Contains(answer.Warnings, w => w.StartsWith("carbon-aware.io/deadline: 'tomorrow morning' is not an RFC 3339 time", StringComparison.Ordinal));
        Assert.Contains(answer.Warnings, w => w.StartsWith("carbon-aware.io/duration: ", StringComparison.Ordinal));
    }

    [Fact]
    public void Review_InvalidAnnotationsOfStrictJob_IsDeniedWith400ListingEveryProblem()
    {
        var review = AdmissionReviews.Job()
            .WithAnnotation("carbon-aware.io/strict", "true")
            .WithAnnotation("carbon-aware.io/max-delay", "8h")
            .WithAnnotation("carbon-aware.io/interruptible", "sometimes")
            .WithAnnotation("carbon-aware.io/zones", " , ");

        var answer = AdmissionReviews.Jobs(review);

        Assert.False(answer.Allowed);
        Assert.Equal(AdmissionOutcome.Denied, answer.Decision.Outcome);
        Assert.Equal(400, (int)answer.Response["status"]!["code"]!);
        var message = (string)answer.Response["status"]!["message"]!;
        Assert.StartsWith("the Job's carbon-aware.io annotations are invalid and carbon-aware.io/strict is \"true\": ", message, StringComparison.Ordinal);
        Assert.Contains("carbon-aware.io/deadline and carbon-aware.io/max-delay are both set", message, StringComparison.Ordinal);
        Assert.Contains("carbon-aware.io/interruptible: 'sometimes' is not true or false", message, StringComparison.Ordinal);
        Assert.Contains("carbon-aware.io/zones: names no zone", message, StringComparison.Ordinal);
        Assert.Null(answer.Response["patch"]);
        Assert.Null(answer.Response["patchType"]);
    }

    [Fact]
    public void Review_ValidStrictJob_IsHeld()
    {
        var review = AdmissionReviews.Job().WithAnnotation("carbon-aware.io/strict", "true");

        Assert.Equal(AdmissionOutcome.Held, AdmissionReviews.Jobs(review).Decision.Outcome);
    }

    [Fact]
    public void Review_StrictInvalidJob_IsDeniedEvenWhenDeferralIsDisabled()
    {
        // Strict asks for the annotations to be checked; that holds whether or not Jobs are held.
        var review = AdmissionReviews.Job().WithAnnotation("carbon-aware.io/strict", "true").WithAnnotation("carbon-aware.io/duration", "-1h");

        Assert.False(AdmissionReviews.Jobs(review, new DeferralOptions { Enabled = false }).Allowed);
    }

    [Fact]
    public void Review_ReleaseNow_IsUntouchedWithAWarning()
    {
        var review = AdmissionReviews.Job().WithAnnotation("carbon-aware.io/release-now", "");

        var answer = AdmissionReviews.Jobs(review);

        Assert.True(answer.Allowed);
        Assert.Null(answer.Response["patch"]);
        var warning = Assert.Single(answer.Warnings);
        Assert.Contains("carbon-aware.io/release-now is set", warning, StringComparison.Ordinal);
    }

    [Fact]
    public void Review_JobAlreadySuspendedByItsUser_IsUntouchedWithAWarning()
    {
        var review = AdmissionReviews.Job();
        review.Spec()["suspend"] = true;

        var answer = AdmissionReviews.Jobs(review);

        Assert.True(answer.Allowed);
        Assert.Null(answer.Response["patch"]);
        var warning = Assert.Single(answer.Warnings);
        Assert.Contains("spec.suspend is already true", warning, StringComparison.Ordinal);
    }

    [Fact]
    public void Review_DeferralDisabled_IsUntouchedWithAWarning()
    {
        var answer = AdmissionReviews.Jobs(AdmissionReviews.Job(), new DeferralOptions());

        Assert.True(answer.Allowed);
        Assert.Null(answer.Response["patch"]);
        var warning = Assert.Single(answer.Warnings);
        Assert.Contains("Deferral:Enabled is false", warning, StringComparison.Ordinal);
    }

    [Fact]
    public void Review_DryRun_IsUntouchedWithTheDryRunWarning()
    {
        var answer = AdmissionReviews.Jobs(AdmissionReviews.Job(), new DeferralOptions { Enabled = true, DryRun = true });

        Assert.True(answer.Allowed);
        Assert.Null(answer.Response["patch"]);
        Assert.Equal(["dry run: the controller records what it would do"], answer.Warnings);
    }

    [Fact]
    public void Review_DryRunNamespace_OnlyThatNamespaceIsInDryRun()
    {
        var options = new DeferralOptions { Enabled = true, DryRunNamespaces = ["analytics"] };
        var elsewhere = AdmissionReviews.Job();
        elsewhere.Request()["namespace"] = "batch-jobs";
        elsewhere.Metadata()["namespace"] = "batch-jobs";

        Assert.Equal(["dry run: the controller records what it would do"], AdmissionReviews.Jobs(AdmissionReviews.Job(), options).Warnings);
        Assert.Equal(AdmissionOutcome.Held, AdmissionReviews.Jobs(elsewhere, options).Decision.Outcome);
    }

    [Fact]
    public void Review_KueueJob_IsGatedInsteadOfSuspended()
    {
        var review = AdmissionReviews.Job().WithLabel("kueue.x-k8s.io/queue-name", "team-a");

        var answer = AdmissionReviews.Jobs(review);

        Assert.Equal(AdmissionOutcome.Held, answer.Decision.Outcome);
        Assert.Equal(
            """[{"op":"add","path":"/metadata/annotations/kueue.x-k8s.io~1admission-gated-by","value":"carbon-aware.io/deferral"},""" + StateHeld + "]",
            answer.PatchText);
    }

    [Fact]
    public void Review_KueueJobWithAGateAlready_AppendsOurGate()
    {
        var review = AdmissionReviews.Job()
            .WithLabel("kueue.x-k8s.io/queue-name", "team-a")
            .WithAnnotation("kueue.x-k8s.io/admission-gated-by", "example.com/quota-check");

        var gate = AdmissionReviews.Jobs(review).Patch!.Single(op => (string?)op!["path"] == "/metadata/annotations/kueue.x-k8s.io~1admission-gated-by")!;

        Assert.Equal("add", (string?)gate["op"]);
        Assert.Equal("example.com/quota-check,carbon-aware.io/deferral", (string?)gate["value"]);
    }

    [Fact]
    public void Review_KueueJobSuspendedByKueueConvention_IsStillGated()
    {
        // Kueue's Jobs are created suspended (or suspended by Kueue's own webhook); Kueue owns that
        // flag and we never touch it, so it says nothing about the user's wishes.
        var review = AdmissionReviews.Job().WithLabel("kueue.x-k8s.io/queue-name", "team-a");
        review.Spec()["suspend"] = true;

        var answer = AdmissionReviews.Jobs(review);

        Assert.Equal(AdmissionOutcome.Held, answer.Decision.Outcome);
        Assert.DoesNotContain(answer.Patch!, op => (string?)op!["path"] == "/spec/suspend");
    }

    [Fact]
    public void Review_KueueGateFromSettings_IsTheOneAdded()
    {
        var review = AdmissionReviews.Job().WithLabel("kueue.x-k8s.io/queue-name", "team-a");

        var answer = AdmissionReviews.Jobs(review, new DeferralOptions { Enabled = true, KueueGate = "example.org/carbon" });

        Assert.Contains(answer.Patch!, op => (string?)op!["value"] == "example.org/carbon");
    }

    [Fact]
    public void Review_EmptyQueueNameLabel_IsNotKueue()
    {
        var review = AdmissionReviews.Job().WithLabel("kueue.x-k8s.io/queue-name", "");

        Assert.StartsWith($"[{Suspend}", AdmissionReviews.Jobs(review).PatchText, StringComparison.Ordinal);
    }

    [Fact]
    public void Review_RequestWithoutNamespace_UsesTheJobsNamespaceForDryRun()
    {
        var review = AdmissionReviews.Job();
        review.Request().Remove("namespace");

        var answer = AdmissionReviews.Jobs(review, new DeferralOptions { Enabled = true, DryRunNamespaces = ["analytics"] });

        Assert.Equal([DeferralAdmissionPolicy.DryRunWarning], answer.Warnings);
    }

    [Fact]
    public void Review_JobCreateWithoutObject_IsAnInvalidReview()
    {
        var review = AdmissionReviews.Job();
        review.Request()["object"] = null;

        var e = Assert.Throws<AdmissionReviewException>(() => AdmissionReviews.Jobs(review));
        Assert.Contains("request.object is missing", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Review_UnreadableJob_IsAnInvalidReview()
    {
        var review = AdmissionReviews.Job();
        review.Spec()["suspend"] = "yes";

        var e = Assert.Throws<AdmissionReviewException>(() => AdmissionReviews.Jobs(review));
        Assert.StartsWith("request.object is not a readable batch/v1 Job", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, "carbon-aware.io/deferral")]
    [InlineData("", "carbon-aware.io/deferral")]
    [InlineData("example.com/a", "example.com/a,carbon-aware.io/deferral")]
    [InlineData("example.com/a, example.com/b,", "example.com/a,example.com/b,carbon-aware.io/deferral")]
    [InlineData("carbon-aware.io/deferral,example.com/a", "carbon-aware.io/deferral,example.com/a")]
    public void WithGate_AppendsOnce(string? existing, string expected) =>
        Assert.Equal(expected, JobAdmission.WithGate(existing, "carbon-aware.io/deferral"));
}
