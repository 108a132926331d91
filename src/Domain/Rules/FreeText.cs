using System.Globalization;
using System.Text;

namespace Defence.Domain.Rules;

/// <summary>Whether a text field may span lines (a summary) or is one line (a reference).</summary>
public enum TextKind { MultiLine, SingleLine }

/// <summary>
/// The one place that decides what text the product accepts. Text is trimmed, its line breaks are written
/// as <c>\n</c>, and it is normalised to Unicode NFC, so the same words are always stored the same way. It is
/// refused when it is blank, too long, or holds a character no person types into a form: a control character
/// (NUL among them, which PostgreSQL cannot store) other than tab and line breaks in multi-line text, a
/// Unicode non-character, or half of a surrogate pair.
/// </summary>
public static class FreeText
{
    /// <summary>Longest free text accepted in any case field (summary, advice, notes, reasons).</summary>
    public const int MaxLength = 4000;

    public const string BlankMessage = "Required; must not be blank.";

    /// <summary>The cleaned text and null, or what is wrong with it.</summary>
    public static (string Text, string? Problem) Check(string? value, int maxLength = MaxLength, TextKind kind = TextKind.MultiLine)
    {
        if (string.IsNullOrWhiteSpace(value)) return ("", BlankMessage);

        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                i++;
                continue;
            }
            if (char.IsSurrogate(c))
                return ("", $"Holds half of a surrogate pair at character {i + 1}, which is not valid Unicode.");
            if (c is '\uFFFE' or '\uFFFF')
                return ("", $"Holds the Unicode non-character U+{(int)c:X4} at character {i + 1}.");
            var lineBreak = c is '\n' or '\r';
            if (char.IsControl(c) && !(kind == TextKind.MultiLine && (lineBreak || c == '\t')))
                return ("", kind == TextKind.MultiLine
                    ? $"Holds the control character U+{(int)c:X4} at character {i + 1}; only tabs and line breaks are accepted."
                    : $"Holds {(lineBreak ? "a line break" : "the control character")} (U+{(int)c:X4}) at character {i + 1}; this must be one line of text.");
        }

        var text = value.Trim();
        if (kind == TextKind.MultiLine && text.Contains('\r')) text = text.Replace("\r\n", "\n").Replace('\r', '\n');
        if (!text.IsNormalized(NormalizationForm.FormC)) text = text.Normalize(NormalizationForm.FormC);
        if (text.Length > maxLength)
            return ("", $"Is {text.Length} characters long; at most {maxLength} are accepted.");
        return (text, null);
    }

    /// <summary>
    /// A value as it may be quoted back in a message: at most a few dozen characters, with control
    /// characters shown as <c>?</c>, so an answer never echoes a hostile value whole.
    /// </summary>
    public static string Quote(string? value, int max = 40)
    {
        if (value is null) return "null";
        var shown = value.Length > max ? value[..max] : value;
        var builder = new StringBuilder(shown.Length + 24).Append('\'');
        foreach (var c in shown) builder.Append(char.IsControl(c) || char.IsSurrogate(c) ? '?' : c);
        builder.Append('\'');
        if (value.Length > max) builder.Append(CultureInfo.InvariantCulture, $"… ({value.Length} characters)");
        return builder.ToString();
    }
}
