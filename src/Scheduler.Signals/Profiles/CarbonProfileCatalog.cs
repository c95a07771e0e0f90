using Scheduler.Signals.Models;

namespace Scheduler.Signals.Profiles;

/// <summary>The built-in carbon profiles of <c>models/carbon-profiles/</c>, by zone.</summary>
public sealed class CarbonProfileCatalog
{
    /// <summary>The folder of the profiles inside <c>models/</c>.</summary>
    public const string Folder = "carbon-profiles";

    private readonly Dictionary<string, (CarbonProfile Profile, TimeZoneInfo TimeZone)> _byZone;

    private CarbonProfileCatalog(Dictionary<string, (CarbonProfile, TimeZoneInfo)> byZone) => _byZone = byZone;

    /// <summary>The zones that have a profile.</summary>
    public IReadOnlyCollection<string> Zones => _byZone.Keys;

    /// <summary>Loads every profile.</summary>
    /// <exception cref="InvalidDataException">A profile is malformed; the message names it.</exception>
    public static CarbonProfileCatalog Load(ModelFiles files)
    {
        ArgumentNullException.ThrowIfNull(files);
        var byZone = new Dictionary<string, (CarbonProfile, TimeZoneInfo)>(StringComparer.OrdinalIgnoreCase);
        foreach (var path in files.List(Folder))
        {
            if (!path.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var profile = files.ReadJson<CarbonProfile>(path);
            if (profile is null)
            {
                throw new InvalidDataException($"models/{path}: empty profile");
            }

            var errors = profile.Validate();
            if (errors.Count > 0)
            {
                throw new InvalidDataException($"models/{path}: {string.Join("; ", errors)}");
            }

            byZone[profile.Zone] = (profile, TimeZoneInfo.FindSystemTimeZoneById(profile.TimeZone));
        }

        return new CarbonProfileCatalog(byZone);
    }

    /// <summary>The profile of <paramref name="zone"/> and its time zone, if there is one.</summary>
    public bool TryGet(string zone, out CarbonProfile profile, out TimeZoneInfo timeZone)
    {
        if (_byZone.TryGetValue(zone, out var entry))
        {
            (profile, timeZone) = entry;
            return true;
        }

        profile = null!;
        timeZone = null!;
        return false;
    }
}
