using System.Net;
using Defence.Api.Tests.Infrastructure;

namespace Defence.Api.Tests.Cases;

[Collection(ApiCollection.Name)]
public sealed class ConcurrencyTests(ApiFixture api)
{
    readonly HttpClient _adviser = api.As(TestUser.Adviser());
    static readonly object Advice = new { advice = "Keep a log of all contacts.", actions = new[] { "keep-contact-log" } };

    [Fact]
    public async Task reading_a_case_gives_its_version_as_the_etag()
    {
        var caseId = await api.As(TestUser.Member()).ReportCase();
        await (await _adviser.Command(caseId, "advice", Advice)).ShouldHave(HttpStatusCode.OK);

        var response = await _adviser.GetAsync($"/api/cases/{caseId}");

        Assert.Equal("\"2\"", response.Headers.ETag?.Tag);
        Assert.Equal(2, (await response.Body())["version"]!.GetValue<long>());
    }

    [Fact]
    public async Task if_none_match_with_the_current_etag_answers_304()
    {
        var caseId = await api.As(TestUser.Member()).ReportCase();
        var request = new HttpRequestMessage(HttpMethod.Get, $"/api/cases/{caseId}");
        request.Headers.TryAddWithoutValidation("If-None-Match", "\"1\"");

        var response = await _adviser.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotModified, response.StatusCode);
    }

    [Fact]
    public async Task a_stale_if_match_is_refused_with_412_and_writes_nothing()
    {
        var caseId = await api.As(TestUser.Member()).ReportCase();
        await (await _adviser.Command(caseId, "advice", Advice, ifMatch: 1)).ShouldHave(HttpStatusCode.OK);

        var response = await _adviser.Command(caseId, "advice", Advice, ifMatch: 1);

        var problem = await response.ShouldBeProblem(HttpStatusCode.PreconditionFailed);
        Assert.Equal(2, problem["currentVersion"]!.GetValue<long>());
        Assert.Equal(2, (await api.EventsOf(ApiFixture.Mdu, caseId)).Count);
    }

    [Fact]
    public async Task if_match_star_accepts_any_version()
    {
        var caseId = await api.As(TestUser.Member()).ReportCase();

        var response = await _adviser.Send(HttpMethod.Post, $"/api/cases/{caseId}/advice", Advice, ifMatch: "*");

        await response.ShouldHave(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("1")]
    [InlineData("\"one\"")]
    [InlineData("W/\"1\"")]
    public async Task a_malformed_if_match_is_a_400_and_writes_nothing(string ifMatch)
    {
        var caseId = await api.As(TestUser.Member()).ReportCase();

        var response = await _adviser.Send(HttpMethod.Post, $"/api/cases/{caseId}/advice", Advice, ifMatch);

        await response.ShouldBeValidationProblem("If-Match");
        Assert.Single(await api.EventsOf(ApiFixture.Mdu, caseId));
    }

    [Fact]
    public async Task two_concurrent_commands_on_one_version_let_exactly_one_through()
    {
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var caseId = await api.As(TestUser.Member()).ReportCase();
            var advisers = Enumerable.Range(0, 2).Select(_ => api.As(TestUser.Adviser())).ToArray();

            var responses = await Task.WhenAll(advisers.Select(a => a.Command(caseId, "advice", Advice, ifMatch: 1)));

            Assert.Single(responses, r => r.StatusCode == HttpStatusCode.OK);
            var refused = Assert.Single(responses, r => r.StatusCode != HttpStatusCode.OK);
            await refused.ShouldBeProblem(HttpStatusCode.PreconditionFailed);
            Assert.Equal(2, (await api.EventsOf(ApiFixture.Mdu, caseId)).Count);
        }
    }

    [Fact]
    public async Task two_concurrent_closures_without_if_match_close_the_case_once()
    {
        var caseId = await api.As(TestUser.Member()).ReportCase();

        var responses = await Task.WhenAll(Enumerable.Range(0, 2)
            .Select(_ => api.As(TestUser.Adviser()).Command(caseId, "closure", new { outcome = "Done." })));

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.OK);
        await Assert.Single(responses, r => r.StatusCode != HttpStatusCode.OK).ShouldBeProblem(HttpStatusCode.Conflict);
        Assert.Equal(2, (await api.EventsOf(ApiFixture.Mdu, caseId)).Count);
    }
}
