using System.Text.Json.Nodes;

namespace Scheduler.Kubernetes.Tests.Fakes;

/// <summary>The fake's patch algorithms against the examples of their specifications (RFC 6902 appendix A, RFC 7386 appendix A) and Kubernetes' strategic merge rules.</summary>
public sealed class FakePatchAlgorithmTests
{
    [Theory]
    [InlineData("""{"foo":"bar"}""", """[{"op":"add","path":"/baz","value":"qux"}]""", """{"foo":"bar","baz":"qux"}""")]
    [InlineData("""{"foo":["bar","baz"]}""", """[{"op":"add","path":"/foo/1","value":"qux"}]""", """{"foo":["bar","qux","baz"]}""")]
    [InlineData("""{"baz":"qux","foo":"bar"}""", """[{"op":"remove","path":"/baz"}]""", """{"foo":"bar"}""")]
    [InlineData("""{"foo":["bar","qux","baz"]}""", """[{"op":"remove","path":"/foo/1"}]""", """{"foo":["bar","baz"]}""")]
    [InlineData("""{"baz":"qux","foo":"bar"}""", """[{"op":"replace","path":"/baz","value":"boo"}]""", """{"baz":"boo","foo":"bar"}""")]
    [InlineData("""{"foo":{"bar":"baz","waldo":"fred"},"qux":{"corge":"grault"}}""", """[{"op":"move","from":"/foo/waldo","path":"/qux/thud"}]""", """{"foo":{"bar":"baz"},"qux":{"corge":"grault","thud":"fred"}}""")]
    [InlineData("""{"foo":["all","grass","cows","eat"]}""", """[{"op":"move","from":"/foo/1","path":"/foo/3"}]""", """{"foo":["all","cows","eat","grass"]}""")]
    [InlineData("""{"baz":"qux","foo":["a",2,"c"]}""", """[{"op":"test","path":"/baz","value":"qux"},{"op":"test","path":"/foo/1","value":2}]""", """{"baz":"qux","foo":["a",2,"c"]}""")]
    [InlineData("""{"foo":"bar"}""", """[{"op":"add","path":"/child","value":{"grandchild":{}}}]""", """{"foo":"bar","child":{"grandchild":{}}}""")]
    [InlineData("""{"foo":"bar"}""", """[{"op":"add","path":"/baz","value":"qux","xyz":123}]""", """{"foo":"bar","baz":"qux"}""")]
    [InlineData("""{"/":9,"~1":10}""", """[{"op":"test","path":"/~01","value":10}]""", """{"/":9,"~1":10}""")]
    [InlineData("""{"foo":["bar"]}""", """[{"op":"add","path":"/foo/-","value":["abc","def"]}]""", """{"foo":["bar",["abc","def"]]}""")]
    [InlineData("""{"a":{"b":1}}""", """[{"op":"copy","from":"/a","path":"/c"}]""", """{"a":{"b":1},"c":{"b":1}}""")]
    [InlineData("""{"a":1}""", """[{"op":"test","path":"/missing","value":null}]""", """{"a":1}""")]
    public void JsonPatch_Rfc6902Examples_Apply(string document, string patch, string expected)
    {
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), JsonPatch.Apply(JsonNode.Parse(document), patch)));
    }

    [Theory]
    [InlineData("""{"baz":"qux"}""", """[{"op":"test","path":"/baz","value":"bar"}]""")]
    [InlineData("""{"foo":"bar"}""", """[{"op":"add","path":"/baz/bat","value":"qux"}]""")]
    [InlineData("""{"foo":"bar"}""", """[{"op":"remove","path":"/baz"}]""")]
    [InlineData("""{"foo":[1]}""", """[{"op":"add","path":"/foo/5","value":2}]""")]
    [InlineData("""{"foo":"bar"}""", """[{"op":"frobnicate","path":"/foo"}]""")]
    [InlineData("""{"foo":"bar"}""", """[{"op":"replace","path":"foo","value":1}]""")]
    public void JsonPatch_ThatDoesNotApply_IsThe422(string document, string patch)
    {
        var e = Assert.Throws<ApiStatusException>(() => JsonPatch.Apply(JsonNode.Parse(document), patch));

        Assert.Equal(422, e.Code);
    }

    [Fact]
    public void JsonPatch_FailingLate_LeavesTheDocumentUntouched()
    {
        var document = JsonNode.Parse("""{"metadata":{"annotations":{"a":"1"}}}""");

        Assert.Throws<ApiStatusException>(() => JsonPatch.Apply(document, """[{"op":"remove","path":"/metadata/annotations/a"},{"op":"test","path":"/x","value":1}]"""));

        Assert.Equal("1", document!["metadata"]!["annotations"]!["a"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("""{"a":"b"}""", """{"a":"c"}""", """{"a":"c"}""")]
    [InlineData("""{"a":"b"}""", """{"b":"c"}""", """{"a":"b","b":"c"}""")]
    [InlineData("""{"a":"b"}""", """{"a":null}""", """{}""")]
    [InlineData("""{"a":"b","b":"c"}""", """{"a":null}""", """{"b":"c"}""")]
    [InlineData("""{"a":["b"]}""", """{"a":"c"}""", """{"a":"c"}""")]
    [InlineData("""{"a":"c"}""", """{"a":["b"]}""", """{"a":["b"]}""")]
    [InlineData("""{"a":{"b":"c"}}""", """{"a":{"b":"d","c":null}}""", """{"a":{"b":"d"}}""")]
    [InlineData("""{"a":[{"b":"c"}]}""", """{"a":[1]}""", """{"a":[1]}""")]
    [InlineData("""{"e":null}""", """{"a":1}""", """{"e":null,"a":1}""")]
    [InlineData("""{}""", """{"a":{"bb":{"ccc":null}}}""", """{"a":{"bb":{}}}""")]
    public void MergePatch_Rfc7386Examples_Apply(string document, string patch, string expected)
    {
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), MergePatch.Apply(JsonNode.Parse(document), patch)));
    }

    [Fact]
    public void MergePatch_NotAnObject_Is400()
    {
        Assert.Equal(400, Assert.Throws<ApiStatusException>(() => MergePatch.Apply(JsonNode.Parse("{}"), "[1]")).Code);
    }

    [Fact]
    public void StrategicMergePatch_ListsWithMergeKeys_MergeItemByItem()
    {
        var job = JsonNode.Parse("""
            {"metadata":{"finalizers":["a"],"ownerReferences":[{"uid":"1","name":"x"}]},
             "spec":{"template":{"spec":{
               "containers":[{"name":"train","image":"t:1","env":[{"name":"A","value":"1"},{"name":"B","value":"2"}]},{"name":"side","image":"s:1"}],
               "tolerations":[{"key":"gpu","operator":"Exists"}]}}}}
            """);
        const string Patch = """
            {"metadata":{"finalizers":["b"],"ownerReferences":[{"uid":"1","name":"y"}]},
             "spec":{"template":{"spec":{
               "$setElementOrder/containers":[{"name":"train"},{"name":"side"}],
               "containers":[{"name":"train","env":[{"name":"B","value":"3"},{"name":"C","value":"4"}]},{"name":"side","$patch":"delete"}],
               "tolerations":[{"key":"spot","operator":"Exists"}]}}}}
            """;

        var patched = StrategicMergePatch.Apply(job, Patch);

        Assert.True(JsonNode.DeepEquals(
            JsonNode.Parse("""
                {"metadata":{"finalizers":["a","b"],"ownerReferences":[{"uid":"1","name":"y"}]},
                 "spec":{"template":{"spec":{
                   "containers":[{"name":"train","image":"t:1","env":[{"name":"A","value":"1"},{"name":"B","value":"3"},{"name":"C","value":"4"}]}],
                   "tolerations":[{"key":"spot","operator":"Exists"}]}}}}
                """),
            patched));
    }

    [Fact]
    public void StrategicMergePatch_Directives_ReplaceDeleteAndRetain()
    {
        var document = JsonNode.Parse("""{"metadata":{"finalizers":["a","b"],"labels":{"x":"1","y":"2"}},"spec":{"affinity":{"nodeAffinity":{"a":1},"podAffinity":{"b":2}},"strategy":{"type":"A","rollingUpdate":{"m":1}}}}""");
        const string Patch = """
            {"$deleteFromPrimitiveList/finalizers":["a"],
             "metadata":{"labels":{"$patch":"replace","z":"3"}},
             "spec":{"affinity":{"podAffinity":{"$patch":"delete"}},"strategy":{"$retainKeys":["type"],"type":"B"}}}
            """;

        var patched = StrategicMergePatch.Apply(document, Patch);

        Assert.True(JsonNode.DeepEquals(
            JsonNode.Parse("""{"metadata":{"finalizers":["a","b"],"labels":{"z":"3"}},"spec":{"affinity":{"nodeAffinity":{"a":1}},"strategy":{"type":"B"}}}"""),
            patched));
        var fromMetadata = StrategicMergePatch.Apply(document, """{"metadata":{"$deleteFromPrimitiveList/finalizers":["a"]}}""");
        Assert.Equal("[\"b\"]", fromMetadata!["metadata"]!["finalizers"]!.ToJsonString());
    }

    [Fact]
    public void StrategicMergePatch_UnknownDirective_Is400()
    {
        Assert.Equal(400, Assert.Throws<ApiStatusException>(() => StrategicMergePatch.Apply(JsonNode.Parse("{}"), """{"$frob":1}""")).Code);
    }
}
