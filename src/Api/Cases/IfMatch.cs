using Microsoft.Extensions.Primitives;

namespace Defence.Api.Cases;

/// <summary>
/// The version a case command expects: from an <c>If-Match</c> header (absent, <c>*</c>, or strong ETags holding
/// case versions such as <c>"3"</c>) or from the version a page showed.
/// </summary>
public sealed class IfMatch
{
    public const string Header = "If-Match";
    public const string FormatMessage = "Expected one or more case versions as strong ETags, e.g. \"3\", or *.";
    const int MaxTags = 20;

    readonly long[]? _versions;

    IfMatch(long[]? versions, bool valid) => (_versions, IsValid) = (versions, valid);

    public static IfMatch Any { get; } = new(null, true);
    static readonly IfMatch Unreadable = new(null, false);

    public bool IsValid { get; }
    public bool IsAny => _versions is null;

    public bool Matches(long version) => _versions is null || _versions.Contains(version);

    /// <summary>Exactly the version a person saw (a page's hidden field).</summary>
    public static IfMatch Version(long version) => new([version], true);

    public static IfMatch Of(HttpContext http) => Parse(http.Request.Headers.IfMatch);

    public static IfMatch Parse(StringValues header)
    {
        var tags = header.SelectMany(v => (v ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)).ToArray();
        // An If-Match sent empty names no version: refused like any other unreadable one, rather than read as absent.
        if (tags.Length == 0) return header.Count == 0 ? Any : Unreadable;
        if (tags is ["*"]) return Any;
        if (tags.Length > MaxTags) return Unreadable;

        var versions = new long[tags.Length];
        for (var i = 0; i < tags.Length; i++)
        {
            var tag = tags[i];
            if (tag.Length < 3 || tag[0] != '"' || tag[^1] != '"'
                || !long.TryParse(tag.AsSpan(1, tag.Length - 2), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out versions[i]))
                return Unreadable;
        }
        return new IfMatch(versions, true);
    }

    public static string ETag(long version) => $"\"{version}\"";
}
