using Defence.Domain.Vocabulary;

namespace Defence.Domain.Tests;

public class VocabularyTests
{
    [Fact]
    public void specialty_codes_are_exactly_the_domain_vocabulary_in_order() =>
        Assert.Equal(
            ["general-practice", "psychiatry", "obstetrics-gynaecology", "emergency-medicine", "surgery", "medicine",
             "paediatrics", "anaesthetics", "radiology", "dermatology", "ophthalmology", "dentistry", "other"],
            Code.All<Specialty>());

    [Fact]
    public void channel_codes_are_exactly_the_domain_vocabulary_in_order() =>
        Assert.Equal(
            ["facebook", "twitter", "instagram", "other-social-media", "text-message", "email", "phone", "letter",
             "gift", "in-person", "other"],
            Code.All<Channel>());

    [Fact]
    public void concern_codes_are_exactly_the_domain_vocabulary_in_order() =>
        Assert.Equal(
            ["amorous-advances", "harassment", "threats-or-violence", "online-criticism", "complaint", "other"],
            Code.All<Concern>());

    [Fact]
    public void advice_action_codes_are_exactly_the_domain_vocabulary_in_order() =>
        Assert.Equal(
            ["explain-boundary-in-writing", "transfer-care", "keep-contact-log", "decline-gifts", "privacy-settings",
             "withhold-number", "do-not-reply", "contact-police", "other"],
            Code.All<AdviceAction>());

    [Fact]
    public void every_specialty_round_trips_through_its_code() => AssertEveryValueRoundTrips<Specialty>();

    [Fact]
    public void every_channel_round_trips_through_its_code() => AssertEveryValueRoundTrips<Channel>();

    [Fact]
    public void every_concern_round_trips_through_its_code() => AssertEveryValueRoundTrips<Concern>();

    [Fact]
    public void every_advice_action_round_trips_through_its_code() => AssertEveryValueRoundTrips<AdviceAction>();

    [Fact]
    public void an_unknown_code_is_refused() =>
        Assert.False(Code.TryParse<Specialty>("cardiology", out _));

    [Fact]
    public void a_differently_cased_code_is_refused() =>
        Assert.False(Code.TryParse<Specialty>("General-Practice", out _));

    [Fact]
    public void a_pascal_case_member_name_is_refused() =>
        Assert.False(Code.TryParse<Specialty>("GeneralPractice", out _));

    [Fact]
    public void a_null_code_is_refused() =>
        Assert.False(Code.TryParse<Channel>(null, out _));

    [Fact]
    public void parsing_an_unknown_code_throws_a_format_exception_naming_it()
    {
        var ex = Assert.Throws<FormatException>(() => Code.Parse<Concern>("stalking"));
        Assert.Contains("'stalking'", ex.Message);
    }

    [Fact]
    public void the_unknown_code_message_names_the_bad_code_and_lists_every_valid_one() =>
        Assert.Equal(
            "'fax' is not a channel code; expected one of: facebook, twitter, instagram, other-social-media, " +
            "text-message, email, phone, letter, gift, in-person, other.",
            Code.UnknownMessage<Channel>("fax"));

    [Fact]
    public void a_vocabulary_is_named_in_prose() =>
        Assert.Equal("advice action", Code.NameOf<AdviceAction>());

    [Fact]
    public void an_undefined_value_has_no_code() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Code.Of((Channel)99));

    static void AssertEveryValueRoundTrips<T>() where T : struct, Enum
    {
        foreach (var value in Enum.GetValues<T>())
            Assert.Equal(value, Code.Parse<T>(Code.Of(value)));

        foreach (var code in Code.All<T>())
        {
            Assert.True(Code.TryParse<T>(code, out var value), code);
            Assert.Equal(code, Code.Of(value));
        }
    }
}
