using System.Text.RegularExpressions;

namespace Defence.Api.Pages;

/// <summary>An event's name as words on the timeline: <c>GmcComplaintLinked</c> reads "GMC complaint linked".</summary>
public static partial class TimelineWords
{
    public static string Of(string eventType)
    {
        var words = Capital().Replace(eventType, " $1").Trim().ToLowerInvariant();
        words = words.Replace("gmc", "GMC");
        return words.Length == 0 ? words : char.ToUpperInvariant(words[0]) + words[1..];
    }

    [GeneratedRegex("(?<!^)([A-Z])")]
    private static partial Regex Capital();
}
