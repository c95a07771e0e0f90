using System.Globalization;
using Npgsql;

namespace Scheduler.Storage;

/// <summary>Connection string helpers that keep the password out of anything printed.</summary>
internal static class ConnectionStrings
{
    /// <summary>
    /// Where <paramref name="connectionString"/> points (host, port, database, user) and whether it carries a
    /// password, for logs and messages.
    /// </summary>
    public static string Describe(string? connectionString)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            return "(none)";
        }

        if (!TryParse(connectionString, out var builder, out _))
        {
            // The parser's message could quote a fragment of the string, and the fragment could be the password.
            return "(a connection string that does not parse)";
        }

        // Only known-harmless keys are echoed: anything else (SSL Password, Options, ...) could hold a secret.
        var description = string.Create(
            CultureInfo.InvariantCulture,
            $"Host={builder.Host};Port={builder.Port};Database={builder.Database};Username={builder.Username}");
        return string.IsNullOrEmpty(builder.Password) ? description : description + ";Password=***";
    }

    /// <summary><paramref name="connectionString"/> with its password replaced by <paramref name="password"/>.</summary>
    public static string WithPassword(string connectionString, string password) =>
        new NpgsqlConnectionStringBuilder(connectionString) { Password = password }.ConnectionString;

    /// <summary>Parses <paramref name="connectionString"/>; on failure <paramref name="error"/> says why.</summary>
    public static bool TryParse(string connectionString, out NpgsqlConnectionStringBuilder builder, out string error)
    {
        try
        {
            builder = new NpgsqlConnectionStringBuilder(connectionString);
            error = string.Empty;
            return true;
        }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidCastException or OverflowException)
        {
            builder = new NpgsqlConnectionStringBuilder();
            error = e.Message;
            return false;
        }
    }
}
