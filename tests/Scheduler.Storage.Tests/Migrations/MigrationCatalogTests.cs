using Scheduler.Storage.Migrations;

namespace Scheduler.Storage.Tests.Migrations;

public class MigrationCatalogTests
{
    [Fact]
    public void Embedded_StartsWithTheQuartzSchemaAndIsNumberedWithoutGaps()
    {
        var migrations = MigrationCatalog.Embedded;

        Assert.Equal("0001_quartz", migrations[0].Id);
        Assert.Equal(Enumerable.Range(1, migrations.Count), migrations.Select(m => m.Version));
        Assert.All(migrations, m => Assert.Matches("^[0-9a-f]{64}$", m.Checksum));
    }

    [Fact]
    public void Ordered_GapInVersions_IsRefused()
    {
        var error = Assert.Throws<ArgumentException>(() => MigrationCatalog.Ordered([new Migration(1, "a", "SELECT 1"), new Migration(3, "c", "SELECT 1")]));

        Assert.Contains("0001_a, 0003_c", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ChecksumOf_CrlfLineEndings_SameAsLf()
    {
        Assert.Equal(Migration.ChecksumOf("CREATE TABLE a (x int);\nSELECT 1;\n"), Migration.ChecksumOf("CREATE TABLE a (x int);\r\nSELECT 1;\r\n"));
        Assert.NotEqual(Migration.ChecksumOf("SELECT 1;"), Migration.ChecksumOf("SELECT 2;"));
    }

    [Fact]
    public void ForOptions_WithoutConnectionString_SaysThereIsNothingToMigrate()
    {
        var error = Assert.Throws<InvalidOperationException>(() => MigrationRunner.ForOptions(new StorageOptions()));

        Assert.Contains("Storage:ConnectionString is not set", error.Message, StringComparison.Ordinal);
    }
}
