using System.Globalization;
using System.Text;
using FsCheck;
using Microsoft.FSharp.Core;

namespace Scheduler.Tests.Shared.Fuzzing;

/// <summary>
/// Seeds and iteration counts of the property and fuzz tests. Every run is deterministic: each test
/// has a fixed seed, printed with any failure. <c>CARBON_FUZZ_SEED</c> replaces the seeds (to replay
/// a failure, or to explore), and <c>CARBON_FUZZ_SCALE</c> multiplies the iterations for long local runs.
/// </summary>
internal static class FuzzRun
{
    /// <summary>The trait value that selects these tests: <c>--filter Category=Fuzz</c>.</summary>
    public const string Category = "Fuzz";

    // FsCheck's generator takes a seed and an odd gamma; the gamma is fixed so that a seed alone replays a run.
    private const ulong Gamma = 0x9E3779B97F4A7C15;

    /// <summary>How many times the iterations are multiplied (CARBON_FUZZ_SCALE, 1 by default).</summary>
    public static int Scale { get; } =
        int.TryParse(Environment.GetEnvironmentVariable("CARBON_FUZZ_SCALE"), NumberStyles.None, CultureInfo.InvariantCulture, out var scale) && scale > 0 ? scale : 1;

    /// <summary><paramref name="seed"/>, or CARBON_FUZZ_SEED when it is set.</summary>
    public static ulong Seed(ulong seed) =>
        ulong.TryParse(Environment.GetEnvironmentVariable("CARBON_FUZZ_SEED"), NumberStyles.None, CultureInfo.InvariantCulture, out var replay) ? replay : seed;

    /// <summary>An FsCheck configuration that runs <paramref name="iterations"/> (times the scale) cases from <paramref name="seed"/> and throws on a counterexample.</summary>
    public static Config Properties(ulong seed, int iterations) =>
        Config.QuickThrowOnFailure
            .WithMaxTest(iterations * Scale)
            .WithQuietOnSuccess(true)
            .WithName($"seed {Seed(seed)} (replay with CARBON_FUZZ_SEED={Seed(seed)})")
            .WithReplay(FSharpOption<Replay>.Some(new Replay(new Rnd(Seed(seed), Gamma), FSharpOption<int>.None)));

    /// <summary>
    /// Runs <paramref name="iterations"/> (times the scale) cases of a seeded fuzzer: case <c>i</c>
    /// gets a <see cref="System.Random"/> seeded from the run's seed and <c>i</c>, and returns a problem, or
    /// <c>null</c> when the property held. Every problem is collected (up to a few) before the test fails,
    /// so that one run shows all it found.
    /// </summary>
    public static void Cases(ulong seed, int iterations, Func<System.Random, int, string?> check)
    {
        ArgumentNullException.ThrowIfNull(check);
        var runSeed = Seed(seed);
        var problems = new List<string>();
        var count = iterations * Scale;
        for (var i = 0; i < count && problems.Count < 10; i++)
        {
            var random = new System.Random(CaseSeed(runSeed, i));
            string? problem;
            try
            {
                problem = check(random, i);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                problem = $"the check itself threw {e}";
            }

            if (problem is not null)
            {
                problems.Add($"case {i}: {problem}");
            }
        }

        if (problems.Count > 0)
        {
            var report = new StringBuilder()
                .Append(CultureInfo.InvariantCulture, $"{problems.Count} failing case(s) of {count} with seed {runSeed} (replay with CARBON_FUZZ_SEED={runSeed}):")
                .AppendLine();
            foreach (var problem in problems)
            {
                report.AppendLine(problem);
            }

            Assert.Fail(report.ToString());
        }
    }

    /// <summary>Text for a failure message: at most <paramref name="max"/> characters, control characters escaped.</summary>
    public static string Show(string text, int max = 600)
    {
        ArgumentNullException.ThrowIfNull(text);
        var shown = new StringBuilder();
        foreach (var c in text.Length > max ? text[..max] : text)
        {
            shown.Append(char.IsControl(c) || char.IsSurrogate(c) ? $"\\u{(int)c:x4}" : c.ToString());
        }

        return text.Length > max ? shown.Append(CultureInfo.InvariantCulture, $"… ({text.Length} chars)").ToString() : shown.ToString();
    }

    /// <summary>Bytes for a failure message, as text where they are UTF-8 and escaped where not.</summary>
    public static string Show(ReadOnlySpan<byte> bytes, int max = 600) =>
        Show(Encoding.UTF8.GetString(bytes.Length > max * 4 ? bytes[..(max * 4)] : bytes), max);

    private static int CaseSeed(ulong runSeed, int index) =>
        unchecked((int)((runSeed * 0x9E3779B97F4A7C15) ^ ((ulong)index * 0xBF58476D1CE4E5B9)));
}
