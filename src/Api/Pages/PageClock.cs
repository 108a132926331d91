using System.Globalization;

namespace Defence.Api.Pages;

/// <summary>
/// Shows times to people in the deployment's time zone (configuration <c>Pages:TimeZone</c>, an IANA id; default
/// Europe/London) and reads the local times they type, so a contact logged at "14:30" is 14:30 where they are.
/// </summary>
public sealed class PageClock
{
    public const string DefaultTimeZone = "Europe/London";
    static readonly CultureInfo English = CultureInfo.GetCultureInfo("en-GB");

    public PageClock(IConfiguration configuration)
    {
        var id = configuration["Pages:TimeZone"] ?? DefaultTimeZone;
        Zone = TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) ? zone : TimeZoneInfo.Utc;
    }

    public TimeZoneInfo Zone { get; }

    public string Date(DateOnly date) => date.ToString("d MMMM yyyy", English);

    public string Time(DateTimeOffset time) => TimeZoneInfo.ConvertTime(time, Zone).ToString("d MMMM yyyy, HH:mm", English);

    /// <summary>The value an HTML datetime-local input shows for <paramref name="time"/>.</summary>
    public string LocalInput(DateTimeOffset time) => TimeZoneInfo.ConvertTime(time, Zone).ToString("yyyy-MM-ddTHH:mm", CultureInfo.InvariantCulture);

    public string Today(TimeProvider clock) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(clock.GetUtcNow(), Zone).DateTime).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public bool TryReadLocal(string text, out DateTimeOffset time)
    {
        time = default;
        if (!DateTime.TryParseExact(text, ["yyyy-MM-ddTHH:mm", "yyyy-MM-ddTHH:mm:ss"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
            return false;
        // A time skipped by the clocks going forward reads as the same wall time an hour later; the domain decides the rest.
        if (Zone.IsInvalidTime(local)) local = local.AddHours(1);
        time = new DateTimeOffset(local, Zone.GetUtcOffset(local));
        return true;
    }
}
