using Microsoft.Extensions.Primitives;

namespace Defence.Api.Cases;

/// <summary>
/// The <c>If-Match</c> precondition of a case command: absent, <c>*</c>, or a list of strong
/// ETags holding case versions (<c>"3"</c>).
/// </summary>
public sealed class IfMatch
{
    readonly long[]? _versions;

    IfMatch(long[]? versions) => _versions = versions;

    public static IfMatch Any { get; } = new(null);

    public bool Matches(long version) => _versions is null || _versions.Contains(version);

    public static bool TryParse(StringValues header, out IfMatch ifMatch)
    {
        ifMatch = Any;
        var tags = header.SelectMany(v => (v ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)).ToArray();
        if (tags.Length == 0 || tags is ["*"]) return true;

        var versions = new long[tags.Length];
        for (var i = 0; i < tags.Length; i++)
        {
            var tag = tags[i];
            if (tag.Length < 3 || tag[0] != '"' || tag[^1] != '"' || !long.TryParse(tag.AsSpan(1, tag.Length - 2), out versions[i]))
                return false;
        }
        ifMatch = new IfMatch(versions);
        return true;
    }

    public static string ETag(long version) => $"\"{version}\"";
}
