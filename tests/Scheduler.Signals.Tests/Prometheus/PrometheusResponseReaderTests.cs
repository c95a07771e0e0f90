using System.Text;
using Scheduler.Signals.Prometheus;

namespace Scheduler.Signals.Tests.Prometheus;

public class PrometheusResponseReaderTests
{
    [Fact]
    public void Read_Vector_GivesOneSeriesPerResultWithItsLabels()
    {
        var series = Read("""
            {"status":"success","data":{"resultType":"vector","result":[
              {"metric":{"node_name":"n1","zone":"package"},"value":[1763899200.5,"105.3"]},
              {"metric":{"node_name":"n2"},"value":[1763899200.5,"1e3"]}]}}
            """);

        Assert.Equal(2, series.Count);
        Assert.Equal("n1", series[0].Label("node_name"));
        Assert.Equal(105.3, series[0].Last);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1_763_899_200_500), series[0].Points[0].At);
        Assert.Equal(1000, series[1].Last);
    }

    [Fact]
    public void Read_Matrix_KeepsEverySampleInOrder()
    {
        var series = Read("""
            {"status":"success","data":{"resultType":"matrix","result":[
              {"metric":{"__name__":"kepler_node_cpu_joules_total"},"values":[[1,"10"],[2,"20"],[3,"30"]]}]}}
            """);

        Assert.Equal([10.0, 20.0, 30.0], series.Single().Points.Select(p => p.Value));
        Assert.Equal("kepler_node_cpu_joules_total", series.Single().Label("__name__"));
    }

    [Fact]
    public void Read_Scalar_IsOneSeriesWithoutLabels()
    {
        var series = Read("""{"status":"success","data":{"resultType":"scalar","result":[1763899200,"42"]}}""");

        Assert.Empty(series.Single().Labels);
        Assert.Equal(42, series.Single().Last);
    }

    [Fact]
    public void Read_NaNAndInfinities_AreDropped()
    {
        var series = Read("""
            {"status":"success","data":{"resultType":"matrix","result":[
              {"metric":{},"values":[[1,"NaN"],[2,"+Inf"],[3,"-Inf"],[4,"7"]]}]}}
            """);

        Assert.Equal([7.0], series.Single().Points.Select(p => p.Value));
    }

    [Fact]
    public void Read_EmptyResult_IsNoSeries()
    {
        Assert.Empty(Read("""{"status":"success","data":{"resultType":"vector","result":[]}}"""));
    }

    [Fact]
    public void Read_WarningsAndUnknownFields_AreIgnored()
    {
        var series = Read("""
            {"status":"success","warnings":["PromQL info: metric might not be a counter"],"infos":[],
             "data":{"resultType":"vector","stats":{"x":1},"result":[{"metric":{},"value":[1,"1"]}]}}
            """);

        Assert.Single(series);
    }

    [Theory]
    [InlineData("bad_data", PrometheusErrorKind.Rejected)]
    [InlineData("execution", PrometheusErrorKind.Rejected)]
    [InlineData("timeout", PrometheusErrorKind.Timeout)]
    [InlineData("unavailable", PrometheusErrorKind.Unavailable)]
    public void Read_ErrorEnvelope_ThrowsWithItsKindAndMessage(string errorType, PrometheusErrorKind kind)
    {
        var e = Assert.Throws<PrometheusException>(() => Read($$"""{"status":"error","errorType":"{{errorType}}","error":"parse error at char 5"}"""));

        Assert.Equal(kind, e.Kind);
        Assert.Contains("parse error at char 5", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("<html>502 Bad Gateway</html>")]
    [InlineData("""{"status":"success"}""")]
    [InlineData("""{"status":"success","data":{"result":[{"metric":{},"value":[1,"x"]}]}}""")]
    [InlineData("""{"status":"success","data":{"result":[{"metric":{},"value":[1""")]
    public void Read_NotTheApisJson_IsMalformed(string body)
    {
        var e = Assert.Throws<PrometheusException>(() => Read(body));

        Assert.Equal(PrometheusErrorKind.Malformed, e.Kind);
    }

    private static List<PromSeries> Read(string json) => PrometheusResponseReader.Read(Encoding.UTF8.GetBytes(json));
}
