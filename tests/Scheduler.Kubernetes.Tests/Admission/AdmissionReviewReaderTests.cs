using System.Text;
using System.Text.Json.Nodes;
using Scheduler.Kubernetes.Admission;

namespace Scheduler.Kubernetes.Tests.Admission;

public class AdmissionReviewReaderTests
{
    [Fact]
    public void Read_JobCreate_ReadsTheFieldsTheWebhookNeeds()
    {
        var request = Read(AdmissionReviews.Job());

        Assert.Equal("admission.k8s.io/v1", request.ApiVersion);
        Assert.Equal("AdmissionReview", request.ReviewKind);
        Assert.Equal("0df28fbd-5f5f-4d4b-9c7e-3a1b6a2f7c41", request.Uid);
        Assert.Equal(new GroupVersionKind("batch", "v1", "Job"), request.Kind);
        Assert.Equal("CREATE", request.Operation);
        Assert.True(request.IsCreate);
        Assert.Equal("analytics", request.Namespace);
        Assert.Equal("nightly-etl", request.Name);
        Assert.False(request.DryRun);
        Assert.Contains("\"kind\":\"Job\"", request.ObjectJson, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_PodInTheCoreGroup_HasAnEmptyGroup()
    {
        var request = Read(AdmissionReviews.Pod());

        Assert.Equal(new GroupVersionKind(string.Empty, "v1", "Pod"), request.Kind);
        Assert.Equal("v1 Pod", request.Kind.ToString());
    }

    [Fact]
    public void Read_GeneratedName_HasNoName()
    {
        var review = AdmissionReviews.Job();
        review.Request().Remove("name");

        Assert.Null(Read(review).Name);
    }

    [Theory]
    [InlineData("", "not valid JSON")]
    [InlineData("{\"kind\":", "not valid JSON")]
    [InlineData("[]", "JSON array")]
    [InlineData("\"AdmissionReview\"", "JSON string")]
    [InlineData("{}", "kind is missing; expected AdmissionReview")]
    [InlineData("{\"Pod\":{},\"NodeNames\":[\"a\"]}", "kind is missing; expected AdmissionReview")]
    [InlineData("{\"apiVersion\":\"batch/v1\",\"kind\":\"Job\",\"metadata\":{}}", "kind is 'Job'; expected AdmissionReview")]
    [InlineData("{\"apiVersion\":\"admission.k8s.io/v1beta1\",\"kind\":\"AdmissionReview\",\"request\":{}}", "apiVersion is 'admission.k8s.io/v1beta1'; expected admission.k8s.io/v1")]
    [InlineData("{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\"}", "request is missing")]
    [InlineData("{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":[]}", "request is missing or not an object")]
    public void Read_NotAnAdmissionReview_ThrowsWithAClearMessage(string body, string expected)
    {
        var e = Assert.Throws<AdmissionReviewException>(() => AdmissionReviewReader.Read(Encoding.UTF8.GetBytes(body)));

        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("uid", null, "request.uid is missing")]
    [InlineData("uid", "", "request.uid is empty")]
    [InlineData("uid", 42, "request.uid is a JSON number; expected a string")]
    [InlineData("operation", null, "request.operation is missing")]
    [InlineData("kind", null, "request.kind is missing")]
    [InlineData("kind", "batch/v1 Job", "request.kind is missing or not a {group, version, kind} object")]
    [InlineData("dryRun", "no", "request.dryRun must be true or false")]
    [InlineData("object", "Job", "request.object is a JSON string")]
    public void Read_BadRequestField_NamesTheField(string field, object? value, string expected)
    {
        var review = AdmissionReviews.Job();
        review.Request()[field] = value switch
        {
            null => null,
            string text => JsonValue.Create(text),
            int number => JsonValue.Create(number),
            _ => throw new ArgumentOutOfRangeException(nameof(value)),
        };

        var e = Assert.Throws<AdmissionReviewException>(() => Read(review));

        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_KindWithoutVersion_NamesTheField()
    {
        var review = AdmissionReviews.Job();
        review.Request()["kind"] = new JsonObject { ["group"] = "batch", ["kind"] = "Job" };

        var e = Assert.Throws<AdmissionReviewException>(() => Read(review));

        Assert.Contains("request.kind.version is missing", e.Message, StringComparison.Ordinal);
    }

    private static AdmissionRequest Read(JsonObject review) => AdmissionReviewReader.Read(Encoding.UTF8.GetBytes(review.ToJsonString()));
}
