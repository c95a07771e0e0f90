using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Scheduler.Storage.Migrations;

/// <summary>One versioned schema change: its SQL and the checksum recorded when it is applied.</summary>
public sealed class Migration
{
    /// <summary>Creates a migration.</summary>
    /// <param name="version">The version, unique and ascending from 1 (the number in <c>0001_quartz.sql</c>).</param>
    /// <param name="name">The rest of the file name, e.g. <c>quartz</c>.</param>
    /// <param name="sql">The statements, run in one transaction.</param>
    public Migration(int version, string name, string sql)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(version);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(sql);
        Version = version;
        Name = name;
        Sql = sql;
        Checksum = ChecksumOf(sql);
    }

    /// <summary>The version.</summary>
    public int Version { get; }

    /// <summary>The name.</summary>
    public string Name { get; }

    /// <summary>The SQL.</summary>
    public string Sql { get; }

    /// <summary>The lower-case hex SHA-256 of the SQL with line endings normalised to LF.</summary>
    public string Checksum { get; }

    /// <summary>The file name it came from, e.g. <c>0001_quartz</c>.</summary>
    public string Id => string.Create(CultureInfo.InvariantCulture, $"{Version:D4}_{Name}");

    /// <inheritdoc />
    public override string ToString() => Id;

    /// <summary>The checksum of <paramref name="sql"/>.</summary>
    public static string ChecksumOf(string sql)
    {
        ArgumentNullException.ThrowIfNull(sql);

        // A checkout with CRLF line endings (git autocrlf on Windows) is the same migration, not an edited one.
        var normalised = sql.Replace("\r\n", "\n", StringComparison.Ordinal).TrimStart('\uFEFF');
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(normalised)));
    }
}
