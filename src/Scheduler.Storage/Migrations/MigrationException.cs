namespace Scheduler.Storage.Migrations;

/// <summary>The schema could not be brought up to date; the message says why and what to do.</summary>
public sealed class MigrationException : Exception
{
    /// <summary>Creates the exception.</summary>
    public MigrationException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public MigrationException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the failure behind it.</summary>
    public MigrationException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
