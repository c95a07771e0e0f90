using System.Text;
using Scheduler.Kubernetes.Admission;

namespace Scheduler.Kubernetes.Tests.Admission;

public class JsonPatchTests
{
    [Theory]
    [InlineData("carbon-aware.io/state", "carbon-aware.io~1state")]
    [InlineData("kueue.x-k8s.io/admission-gated-by", "kueue.x-k8s.io~1admission-gated-by")]
    [InlineData("a~b", "a~0b")]
    [InlineData("~1", "~01")]
    [InlineData("a/b~/c", "a~1b~0~1c")]
    [InlineData("plain", "plain")]
    public void Escape_FollowsRfc6901(string token, string expected) => Assert.Equal(expected, JsonPointer.Escape(token));

    [Fact]
    public void Set_ObjectWithoutAnnotations_AddsTheWholeMap()
    {
        var patch = AnnotationPatch.Set(null, [new("carbon-aware.io/state", "held"), new("kueue.x-k8s.io/admission-gated-by", "carbon-aware.io/deferral")]);

        Assert.Equal(
            """[{"op":"add","path":"/metadata/annotations","value":{"carbon-aware.io/state":"held","kueue.x-k8s.io/admission-gated-by":"carbon-aware.io/deferral"}}]""",
            Encoding.UTF8.GetString(AdmissionReviewWriter.PatchBytes(patch)));
    }

    [Fact]
    public void Set_ObjectWithAnnotations_AddsEachKeyByEscapedPointer()
    {
        var patch = AnnotationPatch.Set(new Dictionary<string, string> { ["app"] = "etl" }, [new("carbon-aware.io/state", "held")]);

        Assert.Equal(
            """[{"op":"add","path":"/metadata/annotations/carbon-aware.io~1state","value":"held"}]""",
            Encoding.UTF8.GetString(AdmissionReviewWriter.PatchBytes(patch)));
    }

    [Fact]
    public void Set_EmptyAnnotationsMap_AddsEachKey()
    {
        // An empty map is still a parent that "add" can put a member into.
        var patch = AnnotationPatch.Set(new Dictionary<string, string>(), [new("carbon-aware.io/state", "held")]);

        Assert.Equal("/metadata/annotations/carbon-aware.io~1state", Assert.Single(patch).Path);
    }
}
