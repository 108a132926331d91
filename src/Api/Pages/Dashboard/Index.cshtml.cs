using System.Globalization;
using Defence.Api.Identity;
using Defence.Api.Trends;
using Defence.Domain.Rules;
using Defence.Domain.Vocabulary;
using Defence.Projections.Trends;
using Marten;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Defence.Api.Pages.Dashboard;

/// <summary>One chart of the dashboard: the trends question it asks (<c>by</c>, and whether it compares) and how it reads.</summary>
public sealed record DashboardChart(string Key, string Title, string By, bool Compare, string Axis);

/// <summary>
/// The analysts' dashboard: the trends of <c>GET /api/trends</c> as charts, tables and CSV downloads, asked and answered
/// by the same code (<see cref="TrendAnswers"/>): the same parsing, comparison and suppression. Its filters are the query
/// string (<c>period</c>, <c>from</c>, <c>to</c>, <c>specialty</c>, <c>channel</c>, <c>concern</c>, <c>publication</c>), so a
/// view can be linked and bookmarked; "for publication" applies the tenant's <c>Trends:SuppressBelow</c> to everything.
/// </summary>
[AllowRoles(Roles.Analyst, Roles.TenantAdmin)]
public sealed class IndexModel(IDocumentStore store, TrendSettings settings, PageClock clock, TimeProvider time) : PageModel
{
    public const string Last12Months = "last-12-months", Last5Years = "last-5-years", Custom = "custom";

    public static readonly IReadOnlyList<(string Code, string Label)> Periods =
        [(Last12Months, "Last 12 months"), (Last5Years, "Last 5 years"), (Custom, "Custom dates")];

    public static readonly IReadOnlyList<DashboardChart> ChartList =
    [
        new("specialty", "Cases by specialty", "specialty", false, "Specialty"),
        new("channel", "Cases by how the patient made contact", "channel", false, "Contact by"),
        new("year", "Cases by year of the incident", "year", false, "Year"),
        new("comparison", "This period against the one before, by specialty", "specialty", true, "Specialty"),
    ];

    static readonly string[] FilterFields = ["period", "from", "to", "specialty", "channel", "concern", "publication"];

    public PageForm Filters { get; } = new("trends");

    [BindProperty(SupportsGet = true)] public string? Period { get; set; }
    [BindProperty(SupportsGet = true)] public string? From { get; set; }
    [BindProperty(SupportsGet = true)] public string? To { get; set; }
    [BindProperty(SupportsGet = true)] public string? Specialty { get; set; }
    [BindProperty(SupportsGet = true)] public string? Channel { get; set; }
    [BindProperty(SupportsGet = true)] public string? Concern { get; set; }
    [BindProperty(SupportsGet = true)] public string? Publication { get; set; }

    public bool ForPublication => Publication == "on";

    /// <summary>The tenant's threshold, applied when the view is for publication; null when none is configured.</summary>
    public int? TenantSuppression { get; private set; }

    public DateOnly? PeriodFrom { get; private set; }
    public DateOnly? PeriodTo { get; private set; }

    /// <summary>Each chart's answer, in <see cref="ChartList"/> order; empty when the filters were refused.</summary>
    public IReadOnlyList<(DashboardChart Chart, TrendAnswer Answer)> Answers { get; private set; } = [];

    public PageClock Clock => clock;

    public async Task OnGetAsync()
    {
        Filters.Keep(new FormCollection(Request.Query.ToDictionary()));
        var questions = Ask(ChartList);
        if (questions is null) return;
        await using var session = store.QuerySession(User.Tenant());
        var answers = new List<(DashboardChart, TrendAnswer)>();
        foreach (var (chart, question) in questions) answers.Add((chart, await session.AnswerAsync(question, HttpContext.RequestAborted)));
        Answers = answers;
    }

    /// <summary>One chart's figures as the API's CSV (<c>?handler=csv&amp;chart=specialty&amp;...</c>), suppressed when the view is for publication.</summary>
    public async Task<IActionResult> OnGetCsvAsync(string? chart)
    {
        var wanted = ChartList.FirstOrDefault(c => c.Key == chart);
        if (wanted is null) return BadRequest($"chart must be one of: {string.Join(", ", ChartList.Select(c => c.Key))}.");
        var questions = Ask([wanted]);
        if (questions is null) return BadRequest(string.Join(" ", Filters.FieldMessages.Select(m => $"{m.Field}: {m.Message}").Concat(Filters.GeneralMessages)));
        await using var session = store.QuerySession(User.Tenant());
        var answer = await session.AnswerAsync(questions[0].Question, HttpContext.RequestAborted);
        Response.Headers.ContentDisposition = $"attachment; filename=\"trends-{wanted.Key}-{PeriodFrom:yyyy-MM-dd}-{PeriodTo:yyyy-MM-dd}{(ForPublication ? "-for-publication" : "")}.csv\"";
        return Content(TrendAnswers.Csv(answer), "text/csv; charset=utf-8");
    }

    /// <summary>The charts' questions read by the API's own parser, or null (status 400, messages on the form) when refused.</summary>
    IReadOnlyList<(DashboardChart Chart, TrendsQuestion Question)>? Ask(IReadOnlyList<DashboardChart> charts)
    {
        TenantSuppression = settings.SuppressBelow(User.Tenant());
        var errors = new FieldErrors();
        var (from, to) = ResolvePeriod(errors);
        if (!string.IsNullOrEmpty(Publication) && !ForPublication) errors.Add("publication", "Tick the box or leave it empty.");
        var questions = charts.Select(chart => (chart, TrendAnswers.Parse(errors, chart.By, from, to, Specialty, Channel, Concern,
            chart.Compare ? TrendAnswers.ComparePrevious : null, suppress: null, ForPublication ? TenantSuppression : null))).ToList();
        if (errors.Any)
        {
            // Every chart reads the same filters: say each problem once.
            var once = new FieldErrors();
            foreach (var (field, messages) in errors.Listed)
                foreach (var message in messages.Distinct()) once.Add(field, message);
            Filters.Refuse(once, FilterFields);
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return null;
        }
        PeriodFrom = questions[0].Item2.Request.From;
        PeriodTo = questions[0].Item2.Request.To;
        return questions;
    }

    /// <summary>A preset's dates (whole months up to the end of last month), or the custom dates as given.</summary>
    (string? From, string? To) ResolvePeriod(FieldErrors errors)
    {
        var period = Period ?? (From is not null || To is not null ? Custom : Last5Years);
        Period = period;
        var today = DateOnly.ParseExact(clock.Today(time), "yyyy-MM-dd", CultureInfo.InvariantCulture);
        var endOfLastMonth = new DateOnly(today.Year, today.Month, 1).AddDays(-1);
        static string Iso(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        switch (period)
        {
            case Last12Months: return (Iso(endOfLastMonth.AddDays(1).AddMonths(-12)), Iso(endOfLastMonth));
            case Last5Years: return (Iso(endOfLastMonth.AddDays(1).AddMonths(-60)), Iso(endOfLastMonth));
            case Custom:
                if (string.IsNullOrEmpty(From)) errors.Add("from", "Enter the first day of the period, or choose a preset period.");
                if (string.IsNullOrEmpty(To)) errors.Add("to", "Enter the last day of the period, or choose a preset period.");
                return (From, To);
            default:
                errors.Add("period", "Choose one of the periods offered.");
                return (null, null);
        }
    }

    /// <summary>This view with other values (null removes one); <c>csv</c> links one chart's download.</summary>
    public string Link(string? csv = null)
    {
        var query = new QueryBuilder();
        void Add(string name, string? value)
        {
            if (!string.IsNullOrEmpty(value)) query.Add(name, value);
        }
        Add("period", Period);
        if (Period == Custom)
        {
            Add("from", From);
            Add("to", To);
        }
        Add("specialty", Specialty);
        Add("channel", Channel);
        Add("concern", Concern);
        if (ForPublication) Add("publication", "on");
        if (csv is not null)
        {
            Add("handler", "csv");
            Add("chart", csv);
        }
        return "/dashboard" + query.ToQueryString();
    }

    /// <summary>Plain words for a row's key: the vocabulary's label, or the year.</summary>
    public static string KeyLabel(TrendLine line, TrendDimension dimension)
    {
        var value = line.Key[dimension];
        var code = Convert.ToString(value, CultureInfo.InvariantCulture);
        return dimension switch
        {
            TrendDimension.Specialty => Labels.ForCode<Specialty>(code),
            TrendDimension.Channel => Labels.ForCode<Channel>(code),
            TrendDimension.Concern => Labels.ForCode<Concern>(code),
            _ => code ?? "",
        };
    }

    /// <summary>The chart's bars: by year, every year of the period in order (a year without cases is 0); else the rows as answered.</summary>
    public IReadOnlyList<Bar> Bars(DashboardChart chart, TrendAnswer answer)
    {
        var dimension = answer.Question.Request.By[0];
        if (dimension != TrendDimension.Year)
            return answer.Lines.Select(l => new Bar(KeyLabel(l, dimension), l.Count, l.PreviousCount)).ToList();
        var byYear = answer.Lines.ToDictionary(l => Convert.ToInt32(l.Key[dimension], CultureInfo.InvariantCulture));
        var first = PeriodFrom?.Year ?? (byYear.Count > 0 ? byYear.Keys.Min() : 0);
        var last = PeriodTo?.Year ?? (byYear.Count > 0 ? byYear.Keys.Max() : -1);
        return Enumerable.Range(first, Math.Max(0, last - first + 1))
            .Select(year => new Bar(year.ToString(CultureInfo.InvariantCulture), byYear.TryGetValue(year, out var line) ? line.Count : 0))
            .ToList();
    }

    /// <summary>A change as people read it: "up 37%", "down 50%", "no change"; "no cases before" when it has none to compare with.</summary>
    public static string Change(double? change, bool suppressed, int? k) =>
        change switch
        {
            null when suppressed => $"not shown (a count below {k})",
            null => "no cases before",
            0 => "no change",
            > 0 => $"up {Percent(change.Value)}",
            _ => $"down {Percent(-change.Value)}",
        };

    static string Percent(double fraction) => Math.Round(fraction * 100).ToString("N0", CultureInfo.GetCultureInfo("en-GB")) + "%";
}
