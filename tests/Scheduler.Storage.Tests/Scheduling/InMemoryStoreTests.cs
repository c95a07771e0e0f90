using System.Collections.Specialized;
using Microsoft.Extensions.DependencyInjection;
using Quartz;
using Scheduler.Storage.Scheduling;
using Scheduler.Storage.Tests.Support;

namespace Scheduler.Storage.Tests.Scheduling;

/// <summary>The embedded default: no connection string, no database, Quartz in memory.</summary>
public class InMemoryStoreTests
{
    [Fact]
    public async Task AddQuartz_WithoutConnectionString_RunsJobsInMemory()
    {
        var log = Executions.Create();
        NameValueCollection properties = QuartzStoreSettings.ToProperties(new StorageOptions());
        var services = new ServiceCollection();
        services.AddQuartz(properties, _ => { });
        await using var provider = services.BuildServiceProvider();
        var scheduler = await provider.GetRequiredService<ISchedulerFactory>().GetScheduler();
        await scheduler.Start();
        try
        {
            var metadata = await scheduler.GetMetadata();
            Assert.False(metadata.JobStorePersistent);
            Assert.False(metadata.JobStoreClustered);
            Assert.Contains("RAMJobStore", metadata.JobStoreTypeName, StringComparison.Ordinal);

            var job = CountingJob.Detail(log, "in-memory");
            await scheduler.ScheduleJob(job, TestStores.OneShot(job, DateTimeOffset.UtcNow.AddMilliseconds(200)));
            await Eventually.HoldsAsync(() => log.Count >= 1, TimeSpan.FromSeconds(30), log.Describe);
            Assert.Single(log.Runs);
        }
        finally
        {
            await scheduler.Shutdown(waitForJobsToComplete: true);
        }
    }
}
