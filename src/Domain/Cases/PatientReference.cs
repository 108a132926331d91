using System.Text.RegularExpressions;

namespace Defence.Domain.Cases;

/// <summary>
/// Data minimisation: a patient is identified only by initials and year of birth, e.g. <c>JS 1984</c>.
/// Anything that could be a name is refused rather than stored.
/// </summary>
public static partial class PatientReference
{
    public const string Format = "the patient's initials and year of birth, e.g. 'JS 1984' or 'J.S. 1984'";

    /// <summary>
    /// Accepts 1 to 3 capitals run together ("JS 1984") or 1 to 4 letters each followed by a dot or a
    /// space ("J.S. 1984", "j s 1984"); returns the normal form "JS 1984". Run-together lower case or
    /// longer runs ("John 1984", "js1984") read as names and are refused.
    /// </summary>
    public static bool TryNormalise(string value, int currentYear, out string normalised)
    {
        normalised = "";
        var match = Shape().Match(value);
        if (!match.Success) return false;

        var year = int.Parse(match.Groups["year"].Value);
        if (year < 1900 || year > currentYear) return false;

        var initials = string.Concat(match.Groups["initial"].Captures.Select(c => c.Value)).ToUpperInvariant();
        normalised = $"{initials} {year}";
        return true;
    }

    [GeneratedRegex(@"^\s*(?:(?:(?<initial>[A-Za-z])(?:\.\s*|\s+)){1,4}|(?<initial>[A-Z]){1,3}\b)[,\s]*(?<year>\d{4})\s*$")]
    private static partial Regex Shape();
}
