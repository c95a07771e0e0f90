using FsCheck;
using FsCheck.Fluent;
using Scheduler.Core.Annotations;
using Scheduler.Core.Deferral;
using Scheduler.Core.Intensity;
using Scheduler.Tests.Shared.Fuzzing;

namespace Scheduler.Core.Tests.Fuzz;

/// <summary>
/// The annotation reader and the deferral decision under random annotation maps and forecasts: the
/// reader never throws and names the annotation of every problem, a Job whose annotations are invalid
/// is never held, and a held Job's plan keeps its promise (start ≤ latest safe start ≤ deadline − duration).
/// </summary>
[Trait("Category", FuzzRun.Category)]
public class DeferralAnnotationPropertyTests
{
    private static readonly DateTimeOffset Now = AnnotationGenerator.Now;
    private static readonly DeferralSettings Settings = new();

    [Fact]
    public void Read_AnyAnnotations_GivesARequestOrErrorsNamingTheirAnnotation()
    {
        Prop.ForAll(AnnotationGenerator.Maps(withControllerKeys: true).ToArbitrary(), annotations =>
        {
            var reading = DeferralRequestReader.Read(annotations, Now, Settings);

            if (!reading.AsksForDeferral)
            {
                Assert.Null(reading.Request);
                Assert.Empty(reading.Errors);
            }
            else if (reading.Request is { } request)
            {
                Assert.Empty(reading.Errors);
                Assert.True(request.Duration > TimeSpan.Zero, $"duration {request.Duration}");
            }
            else
            {
                Assert.NotEmpty(reading.Errors);
                Assert.All(reading.Errors, error => Assert.StartsWith(CarbonAnnotations.Prefix, error, StringComparison.Ordinal));
            }
        }).Check(FuzzRun.Properties(seed: 3, iterations: 2000));
    }

    [Fact]
    public void Decide_InvalidAnnotations_NeverHoldsTheJob()
    {
        var cases = from annotations in AnnotationGenerator.Maps(withControllerKeys: true)
                    from job in Jobs(annotations)
                    from zones in Forecasts()
                    from minutes in Gen.Choose(-600, 6000)
                    select (Job: job, Zones: zones, At: Now + TimeSpan.FromMinutes(minutes));
        Prop.ForAll(cases.ToArbitrary(), c =>
        {
            var reading = DeferralRequestReader.Read(c.Job.Annotations, c.Job.Created, Settings);

            var action = Decide(c.Job, c.At, c.Zones);

            if (reading.AsksForDeferral && reading.Request is null && !c.Job.Finished)
            {
                Assert.False(action is DeferralAction.Hold or DeferralAction.Pause or DeferralAction.RecordDryRun, $"{action} for invalid annotations");
                if (action is DeferralAction.ReportInvalid report)
                {
                    Assert.Equal(reading.Errors, report.Errors);
                }
            }
        }).Check(FuzzRun.Properties(seed: 5, iterations: 1500));
    }

    [Fact]
    public void Decide_ValidRequest_HoldsOnlyWithAPlanThatMeetsTheDeadline()
    {
        var cases = from annotations in AnnotationGenerator.ValidRequests()
                    from zones in Forecasts()
                    from minutes in Gen.Choose(0, 600)
                    select (Annotations: annotations, Zones: zones, At: Now + TimeSpan.FromMinutes(minutes));
        Prop.ForAll(cases.ToArbitrary(), c =>
        {
            var held = new Dictionary<string, string>(c.Annotations) { [CarbonAnnotations.State] = "held" };
            var job = new JobView(Now, held, Suspended: true, Finished: false, DryRun: false);
            var request = DeferralRequestReader.Read(held, Now, Settings).Request!;

            var action = DeferralDecider.Decide(job, c.At, c.Zones, Settings);

            if (action is DeferralAction.Hold hold)
            {
                var plan = hold.Record.Plan!;
                Assert.True(plan.Start > c.At, $"held with a start {plan.Start:O} not after now {c.At:O}");
                Assert.True(plan.Start <= plan.LatestStart, $"start {plan.Start:O} after the latest safe start {plan.LatestStart:O}");
                Assert.True(plan.LatestStart <= request.Deadline - request.Duration, $"latest safe start {plan.LatestStart:O} after deadline − duration {request.Deadline - request.Duration:O}");
                Assert.True(plan.Runs.Sum(r => r.Length.Ticks) >= request.Duration.Ticks, "the planned runs are shorter than the Job");
            }
            else
            {
                Assert.IsType<DeferralAction.Release>(action);
            }
        }).Check(FuzzRun.Properties(seed: 8, iterations: 1500));
    }

    [Theory]
    [InlineData(CarbonAnnotations.Deadline, "0001-01-01T00:00:00Z")]
    [InlineData(CarbonAnnotations.Deadline, "9999-12-31T23:59:59Z")]
    [InlineData(CarbonAnnotations.MaxDelay, "100000000h")]
    [InlineData(CarbonAnnotations.Duration, "87601h")]
    public void Decide_TimesOffTheCalendar_ReportsTheAnnotationInsteadOfThrowing(string key, string value)
    {
        // Found by the property above: a deadline of year 1 made the planner subtract past
        // DateTimeOffset.MinValue, and a delay of 11,000 years overflowed in the reader.
        var annotations = new Dictionary<string, string> { [CarbonAnnotations.Deadline] = "2026-01-15T09:00:00Z", [key] = value };
        if (key == CarbonAnnotations.MaxDelay)
        {
            annotations.Remove(CarbonAnnotations.Deadline);
        }

        var action = DeferralDecider.Decide(new JobView(Now, annotations, Suspended: false, Finished: false, DryRun: true), Now, [], Settings);

        Assert.StartsWith(key, Assert.Single(Assert.IsType<DeferralAction.ReportInvalid>(action).Errors), StringComparison.Ordinal);
    }

    // The annotations, in the failure message, when the decision throws.
    private static DeferralAction Decide(JobView job, DateTimeOffset at, List<(string Zone, IntensitySeries Forecast)> zones)
    {
        try
        {
            return DeferralDecider.Decide(job, at, zones, Settings);
        }
        catch (Exception e)
        {
            var annotations = string.Join(", ", job.Annotations.Select(a => $"{a.Key}={FuzzRun.Show(a.Value, 80)}"));
            throw new InvalidOperationException($"Decide threw at {at:O} for {{{annotations}}}: {e}", e);
        }
    }

    private static Gen<JobView> Jobs(Dictionary<string, string> annotations) =>
        from createdMinutes in Gen.Choose(-600, 60)
        from suspended in Gen.Elements(true, false)
        from finished in Gen.Frequency((1, Gen.Constant(true)), (5, Gen.Constant(false)))
        from dryRun in Gen.Elements(true, false)
        select new JobView(Now + TimeSpan.FromMinutes(createdMinutes), annotations, suspended, finished, dryRun);

    // Zero to three zones, each a forecast around now with its own step, length and values.
    private static Gen<List<(string Zone, IntensitySeries Forecast)>> Forecasts() =>
        from count in Gen.Choose(0, 3)
        from zones in Gen.ListOf(Forecast(), count)
        select zones.Select((forecast, i) => ($"Z{i}", forecast)).ToList();

    private static Gen<IntensitySeries> Forecast() =>
        from startMinutes in Gen.Choose(-180, 120)
        from step in Gen.Elements(5, 15, 30, 60)
        from length in Gen.Choose(1, 200)
        from values in Gen.ListOf(Gen.Choose(0, 900).Select(v => (double)v), length)
        select new IntensitySeries(Now + TimeSpan.FromMinutes(startMinutes), TimeSpan.FromMinutes(step), values.ToArray());
}
