using Defence.Domain.Rules;
using Defence.Domain.Vocabulary;

namespace Defence.Domain.Tests;

public class FreeTextTests
{
    [Theory]
    [InlineData("before\u0000after")]
    [InlineData("bell\u0007")]
    [InlineData("escape\u001B[31m")]
    [InlineData("delete\u007F")]
    [InlineData("c1\u0085control")]
    public void control_characters_are_refused_naming_the_character_not_the_text(string value)
    {
        var (text, problem) = FreeText.Check(value);

        Assert.Equal("", text);
        Assert.NotNull(problem);
        Assert.Contains("U+", problem);
        Assert.DoesNotContain(value, problem);
    }

    [Fact]
    public void tabs_and_line_breaks_are_kept_in_multi_line_text_with_line_breaks_written_as_newlines()
    {
        var (text, problem) = FreeText.Check("first\r\nsecond\rthird\n\tindented");

        Assert.Null(problem);
        Assert.Equal("first\nsecond\nthird\n\tindented", text);
    }

    [Theory]
    [InlineData("GMC\n42")]
    [InlineData("GMC\t42")]
    public void single_line_text_refuses_line_breaks_and_tabs(string value) =>
        Assert.NotNull(FreeText.Check(value, 100, TextKind.SingleLine).Problem);

    [Fact]
    public void text_that_is_not_valid_unicode_is_refused()
    {
        // Built here rather than in InlineData: the test runner would replace a lone surrogate before the test saw it.
        foreach (var value in new[] { (char)0xD800 + " lone high surrogate", "lone low " + (char)0xDC00, "non-character \uFFFF" })
            Assert.NotNull(FreeText.Check(value).Problem);
    }

    [Fact]
    public void a_pair_of_surrogates_is_one_valid_character() =>
        Assert.Equal("Flowers \U0001F490", FreeText.Check("Flowers \U0001F490").Text);

    [Fact]
    public void text_is_trimmed_and_normalised_so_the_same_words_are_stored_the_same_way()
    {
        var decomposed = "  Cafe\u0301 ";

        Assert.Equal("Caf\u00E9", FreeText.Check(decomposed).Text);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(" \n\t ")]
    public void blank_text_is_refused(string? value) => Assert.Equal(FreeText.BlankMessage, FreeText.Check(value).Problem);

    [Fact]
    public void text_longer_than_the_limit_is_refused_saying_both_lengths()
    {
        var problem = FreeText.Check(new string('x', 4001)).Problem;

        Assert.Contains("4001", problem);
        Assert.Contains("4000", problem);
    }

    [Fact]
    public void a_quoted_value_is_cut_to_a_few_dozen_characters_and_shows_no_control_character()
    {
        var quoted = FreeText.Quote("\u0000" + new string('y', 1_000_000));

        Assert.True(quoted.Length < 80, quoted);
        Assert.StartsWith("'?yyy", quoted);
        Assert.Contains("1000001 characters", quoted);
    }
}

public class FieldErrorsTests
{
    [Fact]
    public void errors_beyond_the_listed_maximum_are_counted_not_listed()
    {
        var errors = new FieldErrors();

        errors.Codes<Channel>(Enumerable.Range(0, FieldErrors.MaxListLength).Select(i => (string?)$"bad-{i}").ToArray(), "channels", atLeastOne: true);

        Assert.Equal(FieldErrors.MaxListLength, errors.Count);
        Assert.Equal(FieldErrors.MaxListed, errors.Listed.Values.Sum(m => m.Length));
        Assert.Equal(FieldErrors.MaxListLength - FieldErrors.MaxListed, errors.Omitted);
    }

    [Fact]
    public void a_list_longer_than_the_maximum_is_one_error_without_looking_at_its_entries()
    {
        var errors = new FieldErrors();

        errors.Codes<AdviceAction>(Enumerable.Repeat((string?)"nonsense", 100_000).ToArray(), "actions", atLeastOne: false);

        Assert.Equal(1, errors.Count);
        Assert.Contains("100000", Assert.Single(errors.Listed["actions"]));
    }

    [Fact]
    public void an_unknown_code_is_quoted_short()
    {
        var errors = new FieldErrors();

        errors.Code<Specialty>(new string('z', 10_000), "specialty");

        Assert.True(Assert.Single(errors.Listed["specialty"]).Length < 400);
    }

    [Fact]
    public void the_all_zero_user_id_names_no_one()
    {
        var errors = new FieldErrors();

        errors.UserId(Guid.Empty, "adviserId");

        Assert.Equal(["adviserId"], errors.Fields);
    }

    [Theory]
    [InlineData(1899, 12, 31)]
    [InlineData(1, 1, 1)]
    public void a_date_before_1900_is_refused(int year, int month, int day)
    {
        var errors = new FieldErrors();

        errors.PastDate(new DateOnly(year, month, day), "occurredOn", CaseHistory.Now);

        Assert.Equal([CaseDates.TooEarlyMessage], errors.Listed["occurredOn"]);
    }
}
