using System.Buffers.Text;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Scheduler.Kubernetes.Tests.Fakes;

/// <summary>The content of the API server's opaque list continue token.</summary>
/// <param name="V">The token format, <c>meta.k8s.io/v1</c>.</param>
/// <param name="Rv">The resourceVersion of the list's snapshot.</param>
/// <param name="Start">The key the next page starts at, relative to the list's prefix (the last key returned and a NUL).</param>
internal sealed record ContinueToken(
    [property: JsonPropertyName("v")] string V,
    [property: JsonPropertyName("rv")] long Rv,
    [property: JsonPropertyName("start")] string Start)
{
    /// <summary>
    /// The API server's token: base64url (no padding) of <c>{"v":"meta.k8s.io/v1","rv":N,"start":"key\u0000"}</c>,
    /// where key is relative to the listed prefix (<c>ns/name</c> across namespaces, <c>name</c> in one).
    /// </summary>
    public static string Encode(long version, string lastKey)
    {
        var json = JsonSerializer.Serialize(new ContinueToken("meta.k8s.io/v1", version, lastKey + "\0"));
        return Base64Url.EncodeToString(Encoding.UTF8.GetBytes(json));
    }

    /// <summary>Decodes <paramref name="token"/>, or returns <c>null</c> when it is not one of the API server's.</summary>
    public static ContinueToken? Decode(string token)
    {
        try
        {
            var decoded = JsonSerializer.Deserialize<ContinueToken>(Base64Url.DecodeFromChars(token));
            return decoded is { V: "meta.k8s.io/v1", Rv: > 0, Start: { Length: > 0 } } ? decoded : null;
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            return null;
        }
    }
}
