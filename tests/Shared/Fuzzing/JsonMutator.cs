using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Scheduler.Tests.Shared.Fuzzing;

/// <summary>
/// A seeded mutation fuzzer for JSON documents: structural mutations of the parsed tree (dropped
/// fields, swapped types, nulls, extreme and NaN-like numbers, malformed quantities and times, odd
/// key casing, duplicate keys, deep nesting, long and unusual strings) and byte mutations of the text
/// (truncation, invalid UTF-8, stray bytes, trailing data). Each call applies one to three of them,
/// and says which in <see cref="Mutant.Steps"/>.
/// </summary>
internal static class JsonMutator
{
    private const string RawMarker = "\u0001raw:";

    // Values that are valid JSON but wrong for the field, or at the edge of what a number type holds.
    private static readonly string[] RawValues =
    [
        "null", "true", "false", "0", "-1", "-0", "1e308", "-1e308", "1e400", "-1e400", "4.9e-324", "1e-400",
        "2147483648", "-2147483649", "9223372036854775808", "18446744073709551616", "123456789012345678901234567890",
        "0.1", "1.7976931348623157e308", "\"NaN\"", "\"Infinity\"", "\"-Infinity\"", "\"\"", "\" \"", "{}", "[]",
        "[null]", "[{}]", "{\"\":null}", "\"\\u0000\"", "\"\\ud800\"", "\"\\udc00x\"", "\"\\uffff\"", "\"💥\"",
    ];

    // Strings that are wrong in the places these documents carry quantities, times, durations and names.
    private static readonly string[] OddStrings =
    [
        "", " ", "-1", "-0", "NaN", "nan", "Infinity", "-Infinity", "1e999", "-1e999", "1e-999", "0x10", "1,5", "1.5.5",
        "12Qi", "5Ki5", "1e3Mi", "--1", "+-1", "1Ei", "9Ei", "99999999999999999999999Ei", "0.000000001m", "1n", "1u", "100m",
        "9223372036854775807", "9223372036854775808", "-9223372036854775808", "1e18", "2h", "-2h", "1.5h", "h", "0s", "9999999h",
        "2026-01-15T09:00:00Z", "2026-13-45T99:99:99Z", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "9999-12-31T23:59:59-14:00",
        "0001-01-01T00:00:00+14:00", "2026-01-15", "2026-01-15T09:00:00", "yesterday", "DE,FR", ",,,", "true", "TRUE", "false",
        "null", "日本語", "Ünïcödé", "\u200b", "\ud83d\ude00", "a\u0000b", "\t\n", new string('x', 300),
    ];

    /// <summary>A mutated document: its bytes, and the mutations applied, for failure messages.</summary>
    public sealed record Mutant(byte[] Bytes, IReadOnlyList<string> Steps)
    {
        /// <summary>The mutations, joined.</summary>
        public string Describe() => string.Join("; ", Steps);
    }

    /// <summary>One to three mutations of <paramref name="json"/>.</summary>
    public static Mutant Mutate(string json, Random random)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(random);
        var steps = new List<string>();
        var count = random.Next(1, 4);
        var node = TryParse(json);
        var structural = node is null ? 0 : random.Next(0, count + 1);
        var rawValues = new List<string>();
        for (var i = 0; i < structural; i++)
        {
            node = MutateTree(node!, random, steps, rawValues);
        }

        var text = node is null ? json : Serialize(node, rawValues);
        var bytes = Encoding.UTF8.GetBytes(text);
        for (var i = structural; i < count; i++)
        {
            bytes = MutateBytes(bytes, random, steps);
        }

        return new Mutant(bytes, steps);
    }

    /// <summary>Every value of <paramref name="root"/> (itself included), with its path.</summary>
    public static List<(JsonNode? Node, JsonNode? Parent, string Path)> Walk(JsonNode root)
    {
        ArgumentNullException.ThrowIfNull(root);
        var all = new List<(JsonNode?, JsonNode?, string)>();
        Visit(root, null, "$", all);
        return all;
    }

    private static void Visit(JsonNode? node, JsonNode? parent, string path, List<(JsonNode?, JsonNode?, string)> all)
    {
        all.Add((node, parent, path));
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, child) in obj)
                {
                    Visit(child, obj, path + "." + key, all);
                }

                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    Visit(array[i], array, $"{path}[{i}]", all);
                }

                break;
        }
    }

    private static JsonNode? TryParse(string json)
    {
        try
        {
            return JsonNode.Parse(json);
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    private static JsonNode MutateTree(JsonNode root, Random random, List<string> steps, List<string> rawValues)
    {
        var all = Walk(root);
        var (target, parent, path) = all[random.Next(all.Count)];
        switch (random.Next(8))
        {
            case 0 when parent is not null:
                Remove(parent, target);
                steps.Add($"removed {path}");
                break;
            case 1:
                {
                    var raw = RawValues[random.Next(RawValues.Length)];
                    root = Replace(root, parent, target, Raw(raw, rawValues));
                    steps.Add($"{path} = {raw}");
                    break;
                }

            case 2:
                {
                    var text = OddStrings[random.Next(OddStrings.Length)];
                    root = Replace(root, parent, target, JsonValue.Create(text));
                    steps.Add($"{path} = \"{text}\"");
                    break;
                }

            case 3 when target is JsonObject obj && obj.Count > 0:
                {
                    // Go's decoder and ours match keys case-insensitively: any casing must be read alike.
                    var key = obj.ElementAt(random.Next(obj.Count)).Key;
                    var recased = new string(key.Select(c => random.Next(2) == 0 ? char.ToUpperInvariant(c) : char.ToLowerInvariant(c)).ToArray());
                    var value = obj[key];
                    obj.Remove(key);
                    obj[recased] = value;
                    steps.Add($"{path}.{key} renamed {recased}");
                    break;
                }

            case 4 when target is JsonObject obj && obj.Count > 0:
                {
                    // A duplicate key cannot live in a JsonObject: a marker key is written and renamed in the text.
                    var key = obj.ElementAt(random.Next(obj.Count)).Key;
                    var duplicate = RawValues[random.Next(RawValues.Length)];
                    obj[RawMarker + "dup:" + rawValues.Count] = Raw(duplicate, rawValues);
                    rawValues[^1] = key + "\u0002" + duplicate;
                    steps.Add($"{path}.{key} duplicated with {duplicate}");
                    break;
                }

            case 5:
                {
                    var depth = random.Next(2) == 0 ? random.Next(60, 140) : random.Next(500, 5000);
                    var nested = new string('[', depth) + new string(']', depth);
                    root = Replace(root, parent, target, Raw(nested, rawValues));
                    steps.Add($"{path} = {depth} nested arrays");
                    break;
                }

            case 6 when target is JsonArray array && array.Count > 0:
                {
                    // Many copies of one element: duplicates, and a larger document.
                    var copies = random.Next(2, 200);
                    var element = array[random.Next(array.Count)];
                    for (var i = 0; i < copies; i++)
                    {
                        array.Add(element?.DeepClone());
                    }

                    steps.Add($"{path}: one element repeated {copies} more times");
                    break;
                }

            case 7 when target is JsonArray array && array.Count > 1:
                {
                    var items = array.Select(n => n?.DeepClone()).OrderBy(_ => random.Next()).ToList();
                    array.Clear();
                    foreach (var item in items)
                    {
                        array.Add(item);
                    }

                    steps.Add($"{path}: elements shuffled");
                    break;
                }

            default:
                {
                    var text = random.Next(3) == 0 ? new string('9', random.Next(20, 400)) : RandomString(random);
                    root = Replace(root, parent, target, JsonValue.Create(text));
                    steps.Add($"{path} = \"{FuzzRun.Show(text, 40)}\"");
                    break;
                }
        }

        return root;
    }

    private static JsonValue Raw(string raw, List<string> rawValues)
    {
        rawValues.Add(raw);
        return JsonValue.Create(RawMarker + (rawValues.Count - 1).ToString(CultureInfo.InvariantCulture));
    }

    private static string Serialize(JsonNode node, List<string> rawValues)
    {
        var text = node.ToJsonString();
        for (var i = 0; i < rawValues.Count; i++)
        {
            var index = i.ToString(CultureInfo.InvariantCulture);
            var marker = "\"\\u0001raw:" + index + "\"";
            var duplicateMarker = "\"\\u0001raw:dup:" + index + "\"";
            if (rawValues[i].Split('\u0002') is [var key, var value])
            {
                text = text.Replace(duplicateMarker + ":" + "\"\\u0001raw:" + index + "\"", System.Text.Json.JsonSerializer.Serialize(key) + ":" + value, StringComparison.Ordinal);
            }
            else
            {
                text = text.Replace(marker, rawValues[i], StringComparison.Ordinal);
            }
        }

        return text;
    }

    private static JsonNode Replace(JsonNode root, JsonNode? parent, JsonNode? target, JsonNode? replacement)
    {
        switch (parent)
        {
            case null:
                return replacement ?? JsonValue.Create("null")!;
            case JsonObject obj:
                var key = obj.First(p => ReferenceEquals(p.Value, target)).Key;
                obj[key] = replacement;
                return root;
            case JsonArray array:
                var index = IndexOf(array, target);
                array[index] = replacement;
                return root;
            default:
                return root;
        }
    }

    private static void Remove(JsonNode parent, JsonNode? target)
    {
        switch (parent)
        {
            case JsonObject obj:
                obj.Remove(obj.First(p => ReferenceEquals(p.Value, target)).Key);
                break;
            case JsonArray array:
                array.RemoveAt(IndexOf(array, target));
                break;
        }
    }

    private static int IndexOf(JsonArray array, JsonNode? target)
    {
        for (var i = 0; i < array.Count; i++)
        {
            if (ReferenceEquals(array[i], target))
            {
                return i;
            }
        }

        return 0;
    }

    private static string RandomString(Random random)
    {
        var length = random.Next(0, 40);
        var text = new StringBuilder();
        for (var i = 0; i < length; i++)
        {
            text.Append(random.Next(6) switch
            {
                0 => (char)random.Next(0x20, 0x7f),
                1 => (char)random.Next(0x80, 0x800),
                2 => "😀",
                3 => ",",
                4 => (char)random.Next('0', '9' + 1),
                _ => (char)random.Next('a', 'z' + 1),
            });
        }

        return text.ToString();
    }

    private static byte[] MutateBytes(byte[] bytes, Random random, List<string> steps)
    {
        var at = bytes.Length == 0 ? 0 : random.Next(bytes.Length);
        switch (random.Next(7))
        {
            case 0:
                steps.Add($"truncated at byte {at} of {bytes.Length}");
                return bytes[..at];
            case 1:
                {
                    byte[][] invalid = [[0xFF], [0xC3, 0x28], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xC0, 0xAF], [0x80], [0xE2, 0x82]];
                    var insert = invalid[random.Next(invalid.Length)];
                    steps.Add($"invalid UTF-8 {Convert.ToHexString(insert)} at byte {at}");
                    return [.. bytes[..at], .. insert, .. bytes[at..]];
                }

            case 2 when bytes.Length > 0:
                {
                    var value = (byte)random.Next(256);
                    steps.Add($"byte {at} set to 0x{value:X2}");
                    var copy = (byte[])bytes.Clone();
                    copy[at] = value;
                    return copy;
                }

            case 3:
                {
                    string[] junk = ["}", "]", ",", "{}", " x", "\0", "null", "{\"Pod\":{}}", "\n\n"];
                    var tail = junk[random.Next(junk.Length)];
                    steps.Add($"appended {FuzzRun.Show(tail)}");
                    return [.. bytes, .. Encoding.UTF8.GetBytes(tail)];
                }

            case 4:
                steps.Add("UTF-8 byte order mark prefixed");
                return [0xEF, 0xBB, 0xBF, .. bytes];
            case 5:
                {
                    string[] tokens = ["NaN", "Infinity", "-Infinity", "undefined", "'x'", "/* c */", "// c\n", "01", "1.", ".5", "+1", "\"\\x41\"", "\"\t\""];
                    var token = tokens[random.Next(tokens.Length)];
                    steps.Add($"inserted {FuzzRun.Show(token)} at byte {at}");
                    return [.. bytes[..at], .. Encoding.UTF8.GetBytes(token), .. bytes[at..]];
                }

            default:
                steps.Add("emptied");
                return [];
        }
    }
}
