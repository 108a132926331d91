using Defence.Api.Tests.Infrastructure;
using static Defence.Api.Tests.Trends.TrendsTestKit;

namespace Defence.Api.Tests.Trends;

/// <summary>The MDU's published figures, reproduced from samples/ through the import and the trends API.</summary>
[Collection(ApiCollection.Name)]
public sealed class SampleDataTests(ApiFixture api)
{
    static string SampleFile() => Path.Combine(Repository.Root, "samples", "mdu-amorous-advances-2002-2011.csv");

    [Fact]
    public async Task the_sample_gives_72_of_100_from_gps_in_2007_2011_73_before_and_a_rise_of_37_percent()
    {
        var tenant = ApiFixture.NewTenant();
        var admin = api.As(tenant.TenantAdmin());
        var analyst = api.As(tenant.Analyst());
        var import = await admin.Import(await File.ReadAllTextAsync(SampleFile()));
        var imported = await import.Body();
        Assert.Empty(imported["errors"]!.AsArray());
        Assert.Equal(173, imported["imported"]!.GetValue<int>());
        Assert.Equal(0, imported["skipped"]!.GetValue<int>());
        await api.ProjectionsCaughtUp();

        var recent = await analyst.Trends("by=specialty&from=2007-01-01&to=2011-12-31&concern=amorous-advances");
        var earlier = await analyst.Trends("by=specialty&from=2002-01-01&to=2006-12-31&concern=amorous-advances");

        Assert.Equal(100, recent["total"]!.GetValue<long>());
        var top = recent["rows"]!.AsArray();
        Assert.Equal("general-practice", top[0]!["specialty"]!.GetValue<string>());
        Assert.Equal(72, top[0]!["count"]!.GetValue<long>());
        Assert.Equal(0.72, top[0]!["share"]!.GetValue<double>());
        Assert.Equal("psychiatry", top[1]!["specialty"]!.GetValue<string>());
        Assert.Equal("obstetrics-gynaecology", top[2]!["specialty"]!.GetValue<string>());
        Assert.Equal(73, earlier["total"]!.GetValue<long>());
        var rise = (recent["total"]!.GetValue<long>() - earlier["total"]!.GetValue<long>()) / (double)earlier["total"]!.GetValue<long>();
        Assert.Equal(0.37, Math.Round(rise, 2));
        Assert.Equal(1, recent["gmcComplaints"]!.GetValue<long>());
        Assert.Equal(1, recent["allegationsWithdrawn"]!.GetValue<long>());

        var channels = Counts(await analyst.Trends("by=channel&from=2007-01-01&to=2011-12-31"), "channel").Select(c => c.Split('=')[0]).ToArray();
        Assert.Equal("facebook", channels[0]);
        Assert.Subset(new HashSet<string>(["facebook", "twitter", "text-message", "letter", "gift"]), channels.ToHashSet());
    }
}
