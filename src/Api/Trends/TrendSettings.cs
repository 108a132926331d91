using System.Globalization;

namespace Defence.Api.Trends;

/// <summary>
/// Each tenant's default small-number suppression for trends: configuration <c>Trends:SuppressBelow:&lt;tenant key&gt;</c>
/// (environment <c>Trends__SuppressBelow__mdu=5</c>), a whole number from 2 to 20; none when unset. Read on every
/// question, so a changed setting applies without a restart; checked at start, so a bad one stops the API.
/// </summary>
public sealed class TrendSettings(IConfiguration configuration)
{
    public const string Section = "Trends:SuppressBelow";

    public int? SuppressBelow(string tenant) => Read(configuration[$"{Section}:{tenant}"], tenant);

    /// <summary>Throws, naming the setting, when a configured value is not a whole number from 2 to 20.</summary>
    public void Validate()
    {
        foreach (var tenant in configuration.GetSection(Section).GetChildren()) Read(tenant.Value, tenant.Key);
    }

    static int? Read(string? value, string tenant)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        if (int.TryParse(value.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var k)
            && k is >= TrendAnswers.SmallestSuppression and <= TrendAnswers.LargestSuppression)
            return k;
        throw new InvalidOperationException(
            $"{Section}:{tenant} is '{value}': set it to a whole number from {TrendAnswers.SmallestSuppression} to {TrendAnswers.LargestSuppression} " +
            "(counts below it are suppressed in trends), or leave it unset for no suppression.");
    }
}
