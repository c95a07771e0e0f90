namespace Scheduler.Signals.Secrets;

/// <summary>Why a secret file could not be used.</summary>
public enum SecretFileProblem
{
    /// <summary>The file does not exist.</summary>
    Missing,

    /// <summary>The file exists but cannot be read.</summary>
    Unreadable,

    /// <summary>The file holds nothing but white space.</summary>
    Empty,
}
