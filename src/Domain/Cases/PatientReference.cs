using System.Globalization;
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
    /// Accepts 1 to 3 initials (first, middle, last): capitals run together ("JS 1984") or letters each followed
    /// by a dot or a space ("J.S. 1984", "j s 1984"); returns the normal form "JS 1984". Run-together lower case,
    /// longer runs and more than three initials ("John 1984", "js1984", "J.O.H.N. 1984") read as names and are refused.
    /// </summary>
    public static bool TryNormalise(string value, int currentYear, out string normalised)
    {
        normalised = "";
        var match = Shape().Match(value);
        if (!match.Success) return false;

        var year = int.Parse(match.Groups["year"].Value, NumberStyles.None, CultureInfo.InvariantCulture);
        if (year < 1900 || year > currentYear) return false;

        var initials = string.Concat(match.Groups["initial"].Captures.Select(c => c.Value)).ToUpperInvariant();
        normalised = $"{initials} {year}";
        return true;
    }

    // ASCII letters and digits only: \d would accept other scripts' digits, which no year is written in here.
    [GeneratedRegex(@"^[ ]*(?:(?:(?<initial>[A-Za-z])(?:\.[ ]*|[ ]+)){1,3}|(?<initial>[A-Z]){1,3}(?![A-Za-z0-9]))[, ]*(?<year>[0-9]{4})[ ]*$", RegexOptions.CultureInvariant)]
    private static partial Regex Shape();
}
