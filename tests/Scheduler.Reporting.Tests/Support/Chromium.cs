using System.Diagnostics;

namespace Scheduler.Reporting.Tests.Support;

/// <summary>
/// Headless Chromium (Debian's <c>chromium</c> package; <c>CHROMIUM</c> names another binary): renders a page to a
/// PNG, or prints its DOM after the page has loaded, as a browser sees them.
/// </summary>
internal static class Chromium
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    public static string Binary =>
        Environment.GetEnvironmentVariable("CHROMIUM") is { Length: > 0 } binary ? binary
        : new[] { "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome" }.FirstOrDefault(File.Exists)
          ?? throw new InvalidOperationException("Chromium is not installed: apt-get install chromium (or set CHROMIUM to its binary).");

    /// <summary>Renders <paramref name="htmlFile"/> at <paramref name="width"/> x <paramref name="height"/> to <paramref name="pngFile"/>.</summary>
    public static async Task ScreenshotAsync(string htmlFile, string pngFile, int width, int height)
    {
        var output = await RunAsync($"--screenshot={pngFile}", $"--window-size={width},{height}", new Uri(htmlFile).AbsoluteUri);
        if (!File.Exists(pngFile))
        {
            throw new InvalidOperationException($"Chromium wrote no screenshot:{Environment.NewLine}{output}");
        }
    }

    /// <summary>The DOM of <paramref name="htmlFile"/> once loaded, serialised.</summary>
    public static Task<string> DumpDomAsync(string htmlFile) => RunAsync("--dump-dom", new Uri(htmlFile).AbsoluteUri);

    private static async Task<string> RunAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo(Binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };

        // Root in a container has no sandbox to drop into; the page is a local file written by the test.
        foreach (var argument in new[] { "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run", "--disable-dev-shm-usage", $"--user-data-dir={Directory.CreateTempSubdirectory("chromium-").FullName}" }.Concat(arguments))
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("Chromium did not start.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(Timeout);
        await process.WaitForExitAsync(timeout.Token);
        var text = await stdout;
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"Chromium exited with {process.ExitCode}:{Environment.NewLine}{await stderr}");
        }

        return text;
    }
}
