using System.Text.Json.Nodes;
using Scheduler.Kubernetes.Admission;

namespace Scheduler.Kubernetes.Tests.Admission;

public class PodAdmissionTests
{
    private const string StateHeld = """{"op":"add","path":"/metadata/annotations/carbon-aware.io~1state","value":"held"}""";

    [Fact]
    public void Review_BarePodWithMaxDelay_GetsTheSchedulingGate()
    {
        var answer = AdmissionReviews.Pods(AdmissionReviews.Pod());

        Assert.True(answer.Allowed);
        Assert.Equal(AdmissionOutcome.Held, answer.Decision.Outcome);
        Assert.Equal(
            """[{"op":"add","path":"/spec/schedulingGates","value":[{"name":"carbon-aware.io/deferral"}]},""" + StateHeld + "]",
            answer.PatchText);
        Assert.Equal("7c2b3e0a-91d4-4f6e-8a55-2c9d0e4b1f63", (string?)answer.Response["uid"]);
    }

    [Fact]
    public void Review_PodWithOtherGates_AppendsOurs()
    {
        var review = AdmissionReviews.Pod();
        review.Spec()["schedulingGates"] = new JsonArray(new JsonObject { ["name"] = "example.com/quota" });

        var answer = AdmissionReviews.Pods(review);

        Assert.Equal(
            """[{"op":"add","path":"/spec/schedulingGates/-","value":{"name":"carbon-aware.io/deferral"}},""" + StateHeld + "]",
            answer.PatchText);
    }

    [Fact]
    public void Review_PodWithOurGateAlready_DoesNotAddItTwice()
    {
        var review = AdmissionReviews.Pod();
        review.Spec()["schedulingGates"] = new JsonArray(new JsonObject { ["name"] = "carbon-aware.io/deferral" });

        Assert.Equal($"[{StateHeld}]", AdmissionReviews.Pods(review).PatchText);
    }

    [Fact]
    public void Review_PodOfAJob_IsUntouched()
    {
        var review = AdmissionReviews.Pod();
        review.Metadata()["ownerReferences"] = new JsonArray(new JsonObject
        {
            ["apiVersion"] = "batch/v1",
            ["kind"] = "Job",
            ["name"] = "render",
            ["uid"] = "5a0c1a8e-7a3c-4f7e-9d49-1b0e9f1d2c3b",
            ["controller"] = true,
            ["blockOwnerDeletion"] = true,
        });

        var answer = AdmissionReviews.Pods(review);

        Assert.Equal(AdmissionOutcome.Untouched, answer.Decision.Outcome);
        Assert.Null(answer.Response["patch"]);
        Assert.Empty(answer.Warnings);
    }

    [Fact]
    public void Review_PodWithANonControllerOwner_IsStillBare()
    {
        var review = AdmissionReviews.Pod();
        review.Metadata()["ownerReferences"] = new JsonArray(new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "ConfigMap",
            ["name"] = "render-settings",
            ["uid"] = "0b6d5f0e-2b8f-4f3a-9a7e-6c1d2e3f4a5b",
        });

        Assert.Equal(AdmissionOutcome.Held, AdmissionReviews.Pods(review).Decision.Outcome);
    }

    [Fact]
    public void Review_PodWithNodeName_IsUntouchedWithAWarning()
    {
        var review = AdmissionReviews.Pod();
        review.Spec()["nodeName"] = "node-7";

        var answer = AdmissionReviews.Pods(review);

        Assert.Null(answer.Response["patch"]);
        Assert.Contains("spec.nodeName is set", Assert.Single(answer.Warnings), StringComparison.Ordinal);
    }

    [Fact]
    public void Review_PodWithoutDeferralAnnotations_IsUntouched()
    {
        var review = AdmissionReviews.Pod().WithoutAnnotation("carbon-aware.io/max-delay");

        Assert.Null(AdmissionReviews.Pods(review).Response["patch"]);
    }

    [Fact]
    public void Review_StrictPodWithInvalidAnnotations_IsDenied()
    {
        var review = AdmissionReviews.Pod().WithAnnotation("carbon-aware.io/strict", "true").WithAnnotation("carbon-aware.io/max-delay", "soon");

        var answer = AdmissionReviews.Pods(review);

        Assert.False(answer.Allowed);
        Assert.Equal(400, (int)answer.Response["status"]!["code"]!);
        Assert.Contains("the Pod's carbon-aware.io annotations are invalid", (string)answer.Response["status"]!["message"]!, StringComparison.Ordinal);
    }

    [Fact]
    public void Review_PodInDryRun_IsUntouchedWithTheDryRunWarning()
    {
        var answer = AdmissionReviews.Pods(AdmissionReviews.Pod(), new() { Enabled = true, DryRunNamespaces = ["media"] });

        Assert.Equal([DeferralAdmissionPolicy.DryRunWarning], answer.Warnings);
    }

    [Fact]
    public void Review_PodsSwitchedOff_IsUntouchedWithAWarning()
    {
        // Without the controller's Pod watch nothing would lift the gate, so the Pod must not get it.
        var answer = AdmissionReviews.Pods(AdmissionReviews.Pod(), new() { Enabled = true, Pods = false });

        Assert.Equal(AdmissionOutcome.Untouched, answer.Decision.Outcome);
        Assert.Null(answer.Response["patch"]);
        Assert.Contains("Deferral:Pods is false", Assert.Single(answer.Warnings), StringComparison.Ordinal);
    }

    [Fact]
    public void Review_JobReviewAtThePodEndpoint_IsUntouched()
    {
        Assert.Equal(AdmissionOutcome.Untouched, AdmissionReviews.Pods(AdmissionReviews.Job()).Decision.Outcome);
    }
}
