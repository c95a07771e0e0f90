namespace Scheduler.Extender.Hosting;

/// <summary>Settings of the extender's HTTP surface (configuration section <c>Extender</c>).</summary>
public sealed class ExtenderOptions
{
    /// <summary>The configuration section name.</summary>
    public const string SectionName = "Extender";

    /// <summary>The largest request body accepted, in bytes. Default 64 MiB (5,000 full nodes take about 25 MiB).</summary>
    public int MaxRequestBytes { get; set; } = 64 * 1024 * 1024;

    /// <summary>Every problem with these settings; empty when valid.</summary>
    public IReadOnlyList<string> Validate() =>
        MaxRequestBytes is < 1024 or > 1024 * 1024 * 1024
            ? [$"Extender:MaxRequestBytes is {MaxRequestBytes}; it must be between 1024 and 1073741824."]
            : [];
}
