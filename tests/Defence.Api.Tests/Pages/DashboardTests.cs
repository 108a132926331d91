using System.Net;
using System.Text;
using Defence.Api.Tests.Infrastructure;
using Marten;
using Marten.Events;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Defence.Api.Tests.Pages;

/// <summary>
/// The analysts' dashboard in a real browser, over the sample history imported into a tenant of this run's own, so its
/// figures are the sample's alone on a fresh or a reused database.
/// </summary>
[Collection(PagesCollection.Name)]
public sealed class DashboardTests(PagesFixture pages)
{
    static readonly TestTenant Mdu = ApiFixture.NewTenant();

    const string SampleView = "/dashboard?period=custom&from=2007-01-01&to=2011-12-31&concern=amorous-advances";
    static readonly string[] Tables = ["specialty", "channel", "year", "comparison"];

    async Task ImportSampleAsync()
    {
        var csv = await File.ReadAllTextAsync(Path.Combine(Repository.Root, "samples", "mdu-amorous-advances-2002-2011.csv"));
        // Imported once per fixture whichever test runs first; a second import skips every row.
        var response = await pages.Api(Mdu.TenantAdmin()).PostAsync("/api/imports/cases", new StringContent(csv, Encoding.UTF8, "text/csv"));
        response.EnsureSuccessStatusCode();
        await pages.Store.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(60));
    }

    /// <summary>Sets the MDU's Trends:SuppressBelow for the duration of a test.</summary>
    IDisposable Suppression(string? k)
    {
        var configuration = pages.Factory.Services.GetRequiredService<IConfiguration>();
        configuration[$"Trends:SuppressBelow:{Mdu.Key}"] = k;
        return new Undo(() => configuration[$"Trends:SuppressBelow:{Mdu.Key}"] = null);
    }

    sealed class Undo(Action undo) : IDisposable
    {
        public void Dispose() => undo();
    }

    [Fact]
    public async Task an_analyst_sees_72_gps_in_2007_2011_in_the_charts_table_with_the_chart_and_the_rise_on_the_five_years_before()
    {
        await ImportSampleAsync();
        using var _ = Suppression("5");
        var page = await pages.NewPageAsync(1280);
        var requests = new List<string>();
        page.Request += (_, request) => requests.Add(request.Url);
        await PagesFixture.SignInAsync(page, Mdu.Analyst(), SampleView);

        var gps = page.Locator("#table-specialty tbody tr", new() { HasText = "General practice (GP)" });
        await Assertions.Expect(gps.Locator("td").First).ToHaveTextAsync("72");
        await Assertions.Expect(gps.Locator("td").Nth(1)).ToHaveTextAsync("72%");
        var chart = page.Locator("svg#chart-specialty[role=img]");
        await Assertions.Expect(chart).ToBeVisibleAsync();
        Assert.Contains("General practice (GP): 72", await chart.Locator("desc").TextContentAsync());
        Assert.Equal(1, await page.Locator("svg#chart-specialty text", new() { HasTextString = "72" }).CountAsync());
        foreach (var key in Tables) await Assertions.Expect(page.Locator($"svg#chart-{key}")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator(".notice")).ToContainTextAsync("100 cases from 1 January 2007 to 31 December 2011");
        await Assertions.Expect(page.Locator(".notice")).ToContainTextAsync("up 37% on the 73 in the previous period (1 January 2002 to 31 December 2006)");
        await Assertions.Expect(page.Locator("#table-year tbody tr")).ToHaveCountAsync(5);
        await Assertions.Expect(page.Locator("#table-comparison tfoot")).ToContainTextAsync("up 37%");

        // The filters are the query string: the form shows them, and a CSV link carries them.
        await Assertions.Expect(page.GetByLabel("Concern")).ToHaveValueAsync("amorous-advances");
        await Assertions.Expect(page.GetByLabel("From (custom dates)")).ToHaveValueAsync("2007-01-01");
        var csvLink = await page.GetByRole(AriaRole.Link, new() { Name = "Download “Cases by specialty” as CSV" }).GetAttributeAsync("href");
        Assert.Contains("from=2007-01-01", csvLink);
        Assert.Contains("concern=amorous-advances", csvLink);

        await PageChecks.AssertAccessibleAsync(page);
        await PageChecks.ScreenshotsAsync(page, "dashboard");
        Assert.All(requests, url => Assert.StartsWith(pages.BaseUrl, url));

        // Choosing a preset through the form, as a person would.
        await page.GetByLabel("Period", new() { Exact = true }).SelectOptionAsync("last-12-months");
        await page.GetByRole(AriaRole.Button, new() { Name = "Show the trends" }).ClickAsync();
        await page.WaitForURLAsync(url => url.Contains("period=last-12-months", StringComparison.Ordinal));
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Trends dashboard");
        Assert.Equal("last-12-months", await page.GetByLabel("Period", new() { Exact = true }).InputValueAsync());

        var phone = await pages.NewPageAsync(375);
        await PagesFixture.SignInAsync(phone, Mdu.TenantAdmin(), SampleView + "&publication=on");
        await PageChecks.AssertAccessibleAsync(phone);
        await page.GotoAsync("/dashboard?period=custom&from=2011-01-01");
        await Assertions.Expect(page.Locator(".error-summary")).ToContainTextAsync("Enter the last day");
        await PageChecks.AssertAccessibleAsync(page);
    }

    /// <summary>Every number cell of every table, with and without "for publication": hidden exactly when from 1 to k-1.</summary>
    [Fact]
    public async Task for_publication_hides_every_count_below_the_tenants_threshold_in_every_table_and_download_and_nothing_else()
    {
        await ImportSampleAsync();
        using var _ = Suppression("5");
        var page = await pages.NewPageAsync(1280);
        await PagesFixture.SignInAsync(page, Mdu.Analyst(), SampleView);
        var plain = await NumberCells(page);
        await page.GetByLabel("Hide every count from 1 to 4").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Show the trends" }).ClickAsync();
        await page.WaitForURLAsync(url => url.Contains("publication=on", StringComparison.Ordinal));
        var published = await NumberCells(page);

        Assert.Equal(plain.Keys.Order(), published.Keys.Order());
        var hidden = 0;
        foreach (var (cell, text) in plain)
        {
            var small = long.TryParse(text, System.Globalization.NumberStyles.AllowThousands, System.Globalization.CultureInfo.GetCultureInfo("en-GB"), out var n) && n is >= 1 and < 5;
            if (small) hidden++;
            Assert.Equal(small ? "<5" : text, published[cell]);
        }
        Assert.True(hidden > 0, "the sample should have counts below 5 to hide");
        // A hidden count's share is not shown either; every other share is.
        var shares = await page.Locator("#table-specialty tbody tr").EvaluateAllAsync<string[][]>(
            "rows => rows.map(r => [...r.querySelectorAll('td')].map(td => td.textContent.trim()))");
        Assert.All(shares, row => Assert.Equal(row[0] == "<5", row[1] == "not shown"));
        // The charts say the same, in their text alternatives too.
        Assert.Contains("fewer than 5 (suppressed)", await page.Locator("svg#chart-specialty desc").TextContentAsync());

        var client = await pages.SignedInClientAsync(Mdu.Analyst());
        var csv = await client.GetAsync(SampleView + "&publication=on&handler=csv&chart=specialty");
        Assert.Equal(HttpStatusCode.OK, csv.StatusCode);
        Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", csv.Content.Headers.ContentDisposition?.DispositionType);
        var lines = (await csv.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(l => l.Split(',')).ToList();
        var plainCsv = (await (await client.GetAsync(SampleView + "&handler=csv&chart=specialty")).Content.ReadAsStringAsync())
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(l => l.Split(',')).ToDictionary(c => c[0]);
        Assert.Equal(plainCsv.Count, lines.Count);
        foreach (var line in lines)
            Assert.Equal(long.Parse(plainCsv[line[0]][1]) is >= 1 and < 5 ? "<5" : plainCsv[line[0]][1], line[1]);
        Assert.Contains(lines, l => l[1] == "<5");
        Assert.Equal("72", lines.Single(l => l[0] == "general-practice")[1]);

        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("/dashboard?handler=csv&chart=nothing")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("/dashboard?period=custom&from=2011-13-01&to=2011-12-31")).StatusCode);
    }

    static async Task<Dictionary<string, string>> NumberCells(IPage page)
    {
        var cells = new Dictionary<string, string>();
        foreach (var table in Tables)
        foreach (var row in await page.Locator($"#table-{table} tbody tr").AllAsync())
        {
            var key = (await row.Locator("th").TextContentAsync())!.Trim();
            var numbers = await row.Locator("td.count").AllTextContentsAsync();
            for (var i = 0; i < numbers.Count; i++) cells[$"{table}/{key}/{i}"] = numbers[i].Trim();
        }
        return cells;
    }
}
