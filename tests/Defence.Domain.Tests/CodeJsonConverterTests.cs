using System.Text.Json;
using Defence.Domain.Cases;
using Defence.Domain.Vocabulary;

using static Defence.Domain.Tests.CaseHistory;

namespace Defence.Domain.Tests;

public class CodeJsonConverterTests
{
    static readonly JsonSerializerOptions Options = new() { Converters = { new CodeJsonConverterFactory() } };

    [Fact]
    public void a_vocabulary_value_is_written_as_its_code() =>
        Assert.Equal("\"text-message\"", JsonSerializer.Serialize(Channel.TextMessage, Options));

    [Fact]
    public void a_code_is_read_as_its_vocabulary_value() =>
        Assert.Equal(Specialty.ObstetricsGynaecology, JsonSerializer.Deserialize<Specialty>("\"obstetrics-gynaecology\"", Options));

    [Fact]
    public void a_number_is_refused_with_a_message_listing_the_codes()
    {
        var ex = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<Channel>("4", Options));
        Assert.Contains("facebook, twitter, instagram", ex.Message);
    }

    [Fact]
    public void an_unknown_code_is_refused_with_a_message_naming_it()
    {
        var ex = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<Concern>("\"stalking\"", Options));
        Assert.Contains("'stalking'", ex.Message);
    }

    [Fact]
    public void a_pascal_case_name_is_refused() =>
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<Channel>("\"TextMessage\"", Options));

    [Fact]
    public void null_is_refused_where_a_vocabulary_value_is_required() =>
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<Channel>("null", Options));

    [Fact]
    public void an_optional_vocabulary_value_is_written_as_its_code() =>
        Assert.Equal("\"email\"", JsonSerializer.Serialize<Channel?>(Channel.Email, Options));

    [Fact]
    public void a_report_with_a_list_of_channels_round_trips_with_codes()
    {
        var report = Accepted(Case.Report(new Guid("11111111-1111-1111-1111-111111111111"), new Guid("22222222-2222-2222-2222-222222222222"), new ReportIncident(Code.Of(Specialty.GeneralPractice), CodesOf(Channel.Facebook, Channel.TextMessage), Code.Of(Concern.AmorousAdvances), new DateOnly(2026, 11, 1), "Repeated friend requests", "JS 1984"), new DateTimeOffset(2026, 11, 24, 10, 0, 0, TimeSpan.Zero)));

        var json = JsonSerializer.Serialize(report, Options);
        var read = JsonSerializer.Deserialize<ReportReceived>(json, Options)!;

        Assert.Contains("\"Channels\":[\"facebook\",\"text-message\"]", json);
        Assert.Equal([Channel.Facebook, Channel.TextMessage], read.Channels);
        Assert.Equal(report with { Channels = read.Channels }, read);
    }

    [Fact]
    public void dictionary_keys_of_a_vocabulary_are_written_as_codes() =>
        Assert.Equal(
            "{\"amorous-advances\":72,\"online-criticism\":3}",
            JsonSerializer.Serialize(new Dictionary<Concern, int> { [Concern.AmorousAdvances] = 72, [Concern.OnlineCriticism] = 3 }, Options));

    [Fact]
    public void dictionary_keys_are_read_from_codes() =>
        Assert.Equal(72, JsonSerializer.Deserialize<Dictionary<Specialty, int>>("{\"general-practice\":72}", Options)![Specialty.GeneralPractice]);

    [Fact]
    public void an_unknown_dictionary_key_is_refused() =>
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<Dictionary<Specialty, int>>("{\"GeneralPractice\":72}", Options));

    [Fact]
    public void only_vocabulary_enums_are_converted()
    {
        var factory = new CodeJsonConverterFactory();
        Assert.True(factory.CanConvert(typeof(AdviceAction)));
        Assert.True(factory.CanConvert(typeof(CaseStatus)));
        Assert.False(factory.CanConvert(typeof(DayOfWeek)));
    }
}
