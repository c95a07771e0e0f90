using System.Globalization;
using Scheduler.Core.Annotations;

namespace Scheduler.Core.Deferral;

/// <summary>
/// Reads a Job's <c>carbon-aware.io/</c> annotations into a <see cref="DeferralRequest"/>. Never
/// throws on user input: every problem becomes a message naming the annotation and what would be valid.
/// </summary>
public static class DeferralRequestReader
{
    /// <summary>
    /// The longest duration, delay or distance from the Job's creation to its deadline that is read:
    /// beyond it no forecast reaches, and the planner's time arithmetic would leave the calendar.
    /// </summary>
    public static readonly TimeSpan MaxHorizon = TimeSpan.FromDays(3650);

    /// <summary>Reads <paramref name="annotations"/> of a Job created at <paramref name="submitted"/>.</summary>
    public static DeferralReading Read(IReadOnlyDictionary<string, string>? annotations, DateTimeOffset submitted, DeferralSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        annotations ??= new Dictionary<string, string>();
        var hasDeadline = annotations.TryGetValue(CarbonAnnotations.Deadline, out var deadlineText);
        var hasMaxDelay = annotations.TryGetValue(CarbonAnnotations.MaxDelay, out var maxDelayText);
        var strict = annotations.TryGetValue(CarbonAnnotations.Strict, out var strictText) && string.Equals(strictText?.Trim(), "true", StringComparison.OrdinalIgnoreCase);
        if (!hasDeadline && !hasMaxDelay)
        {
            return new DeferralReading(null, [], AsksForDeferral: false, strict);
        }

        var errors = new List<string>();
        var duration = settings.DefaultDuration;
        if (annotations.TryGetValue(CarbonAnnotations.Duration, out var durationText))
        {
            if (GoDuration.TryParse(durationText, out var parsed, out var error) && parsed > TimeSpan.Zero && parsed <= MaxHorizon)
            {
                duration = parsed;
            }
            else
            {
                errors.Add($"{CarbonAnnotations.Duration}: {(error.Length > 0 ? error : parsed > TimeSpan.Zero ? "the duration must be at most 10 years" : "the duration must be positive")}");
            }
        }

        DateTimeOffset? deadline = null;
        if (hasDeadline && hasMaxDelay)
        {
            errors.Add($"{CarbonAnnotations.Deadline} and {CarbonAnnotations.MaxDelay} are both set; give one of them");
        }
        else if (hasDeadline)
        {
            deadline = ReadDeadline(deadlineText, submitted, errors);
        }
        else if (GoDuration.TryParse(maxDelayText, out var maxDelay, out var error) && maxDelay >= TimeSpan.Zero && maxDelay <= MaxHorizon)
        {
            // The start may move by max-delay, so the run must end by then plus its own length.
            deadline = submitted + maxDelay + duration;
        }
        else
        {
            errors.Add($"{CarbonAnnotations.MaxDelay}: {(error.Length > 0 ? error : maxDelay > MaxHorizon ? "the delay must be at most 10 years" : "the delay must not be negative")}");
        }

        var interruptible = false;
        if (annotations.TryGetValue(CarbonAnnotations.Interruptible, out var interruptibleText))
        {
            if (!bool.TryParse(interruptibleText?.Trim(), out interruptible))
            {
                errors.Add($"{CarbonAnnotations.Interruptible}: '{interruptibleText}' is not true or false");
            }
        }

        var zones = new List<string>();
        if (annotations.TryGetValue(CarbonAnnotations.Zones, out var zonesText))
        {
            foreach (var zone in (zonesText ?? string.Empty).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                if (!zones.Contains(zone, StringComparer.Ordinal))
                {
                    zones.Add(zone);
                }
            }

            if (zones.Count == 0)
            {
                errors.Add($"{CarbonAnnotations.Zones}: names no zone; write zones separated by commas, e.g. DE,FR");
            }
        }

        var releaseNow = annotations.ContainsKey(CarbonAnnotations.ReleaseNow);
        return errors.Count > 0 || deadline is null
            ? new DeferralReading(null, errors, AsksForDeferral: true, strict)
            : new DeferralReading(new DeferralRequest(submitted, deadline.Value, duration, interruptible, zones, releaseNow), [], AsksForDeferral: true, strict);
    }

    private static DateTimeOffset? ReadDeadline(string? text, DateTimeOffset submitted, List<string> errors)
    {
        // RFC 3339 requires an offset; a time without one would be read in some machine's zone.
        var trimmed = text?.Trim() ?? string.Empty;
        var hasOffset = trimmed.EndsWith('Z') || trimmed.EndsWith('z') || (trimmed.Length > 6 && trimmed[^6] is '+' or '-' && trimmed[^3] == ':');
        if (hasOffset && DateTimeOffset.TryParse(trimmed, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal, out var deadline) && trimmed.Contains('T', StringComparison.OrdinalIgnoreCase))
        {
            // Years like 0001 or 9999 parse, but leave no room for the planner's arithmetic.
            if ((deadline - submitted).Duration() > MaxHorizon)
            {
                errors.Add($"{CarbonAnnotations.Deadline}: '{text}' is more than 10 years from the Job's creation");
                return null;
            }

            return deadline.ToUniversalTime();
        }

        errors.Add($"{CarbonAnnotations.Deadline}: '{text}' is not an RFC 3339 time with an offset, e.g. 2026-11-25T09:00:00Z");
        return null;
    }
}
