namespace Scheduler.Cli.Evaluation;

/// <summary>Writes a GitHub-flavoured Markdown table: text columns first, aligned left, then numbers aligned right.</summary>
internal static class MarkdownTable
{
    public static void Write(TextWriter writer, IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows, int textColumns = 1)
    {
        writer.WriteLine("| " + string.Join(" | ", headers) + " |");
        writer.WriteLine("|" + string.Concat(headers.Select((_, i) => i < textColumns ? " --- |" : " ---: |")));
        foreach (var row in rows)
        {
            writer.WriteLine("| " + string.Join(" | ", row) + " |");
        }

        writer.WriteLine();
    }
}
