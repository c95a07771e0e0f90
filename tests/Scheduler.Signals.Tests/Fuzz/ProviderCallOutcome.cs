using Microsoft.AspNetCore.Http;
using Scheduler.Core.Intensity;
using Scheduler.Signals.Intensity;

namespace Scheduler.Signals.Tests.Fuzz;

/// <summary>
/// The property every provider call must keep under a mutated answer: sane data (a forecast with a
/// positive step, a representable end and finite, non-negative values; actuals finite, non-negative,
/// of positive duration and strictly in time order) or an <see cref="IntensityProviderException"/>.
/// Each check returns the problem, or <c>null</c> when the property held.
/// </summary>
internal static class ProviderCallOutcome
{
    /// <summary>A handler that answers 200 with <paramref name="body"/> as JSON, byte for byte.</summary>
    public static RequestDelegate Serve(byte[] body) =>
        context =>
        {
            context.Response.StatusCode = StatusCodes.Status200OK;
            context.Response.ContentType = "application/json";
            return context.Response.Body.WriteAsync(body, context.RequestAborted).AsTask();
        };

    /// <summary>Checks a forecast call.</summary>
    public static string? Forecast(Func<Task<IntensityForecast?>> call)
    {
        ArgumentNullException.ThrowIfNull(call);
        try
        {
            var forecast = call().GetAwaiter().GetResult();
            if (forecast is null)
            {
                return null;
            }

            var series = forecast.Series;
            if (series.Step <= TimeSpan.Zero)
            {
                return $"a forecast with step {series.Step}";
            }

            if (series.Count == 0)
            {
                return "an empty forecast";
            }

            // Every consumer reads End; a series past DateTimeOffset.MaxValue would throw there instead.
            _ = series.End;
            var values = series.Values.ToArray();
            var bad = Array.FindIndex(values, v => !double.IsFinite(v) || v < 0);
            return bad >= 0 ? $"a forecast value of {values[bad]}" : null;
        }
        catch (IntensityProviderException)
        {
            return null;
        }
        catch (Exception e)
        {
            return $"the forecast threw {e.GetType().Name}: {e.Message}\n{e.StackTrace}";
        }
    }

    /// <summary>Checks an actuals call.</summary>
    public static string? Actuals(Func<Task<IReadOnlyList<IntensityReading>>> call)
    {
        ArgumentNullException.ThrowIfNull(call);
        try
        {
            var readings = call().GetAwaiter().GetResult();
            for (var i = 0; i < readings.Count; i++)
            {
                var reading = readings[i];
                if (!double.IsFinite(reading.GramsPerKwh) || reading.GramsPerKwh < 0)
                {
                    return $"an actual of {reading.GramsPerKwh} at {reading.Time:O}";
                }

                if (reading.Duration <= TimeSpan.Zero)
                {
                    return $"an actual of duration {reading.Duration} at {reading.Time:O}";
                }

                if (i > 0 && readings[i - 1].Time >= reading.Time)
                {
                    return $"actuals out of order at {reading.Time:O}";
                }
            }

            return null;
        }
        catch (IntensityProviderException)
        {
            return null;
        }
        catch (Exception e)
        {
            return $"the actuals threw {e.GetType().Name}: {e.Message}\n{e.StackTrace}";
        }
    }
}
