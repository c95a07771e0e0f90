using Microsoft.Extensions.Time.Testing;

namespace Scheduler.Signals.Tests.Kepler.Fixtures;

/// <summary>
/// The clock of a simulated exporter that moves by exactly one scrape interval per scrape.
/// Prometheus stamps each sample with its scheduled time, a whole interval after the last one,
/// while the exporter renders whenever its thread gets to it; counting energy by this clock makes
/// the energy between two stored samples exactly the power times the interval, however loaded the
/// machine is.
/// </summary>
public sealed class ScrapeClock
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private readonly DateTimeOffset _origin;
    private readonly TimeSpan _interval;
    private int _scrapes;

    /// <summary>Creates a clock for scrapes every <paramref name="interval"/>.</summary>
    public ScrapeClock(TimeSpan interval)
    {
        _interval = interval;
        _origin = _time.GetUtcNow();
    }

    /// <summary>The time provider to give the simulation.</summary>
    public TimeProvider Time => _time;

    /// <summary>Moves to the time of the next scrape (the first scrape stays at the origin).</summary>
    public void Scrape()
    {
        var target = _origin + (_interval * _scrapes++);
        if (target > _time.GetUtcNow())
        {
            _time.SetUtcNow(target);
        }
    }

    /// <summary>Moves half an interval on, so that a change happens between two scrapes.</summary>
    public void HalfwayToNextScrape() => _time.Advance(_interval / 2);
}
