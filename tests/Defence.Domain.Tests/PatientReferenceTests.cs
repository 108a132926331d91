using Defence.Domain.Cases;

namespace Defence.Domain.Tests;

public class PatientReferenceTests
{
    const int CurrentYear = 2026;

    [Theory]
    [InlineData("JS 1984")]
    [InlineData("J.S. 1984")]
    [InlineData("j.s.1984")]
    [InlineData("J S 1984")]
    [InlineData("  JS, 1984 ")]
    public void initials_and_year_of_birth_normalise_to_upper_case_initials_a_space_and_the_year(string value)
    {
        Assert.True(PatientReference.TryNormalise(value, CurrentYear, out var normalised));
        Assert.Equal("JS 1984", normalised);
    }

    [Fact]
    public void a_single_initial_is_accepted()
    {
        Assert.True(PatientReference.TryNormalise("J 1984", CurrentYear, out var normalised));
        Assert.Equal("J 1984", normalised);
    }

    [Fact]
    public void a_full_name_is_refused()
    {
        Assert.False(PatientReference.TryNormalise("John Smith 1984", CurrentYear, out var normalised));
        Assert.Equal("", normalised);
    }

    [Theory]
    [InlineData("John 1984")]
    [InlineData("JOHN 1984")]
    [InlineData("js1984")]
    [InlineData("Ann 1970")]
    public void letters_run_together_that_could_be_a_name_are_refused(string value) =>
        Assert.False(PatientReference.TryNormalise(value, CurrentYear, out _));

    [Theory]
    [InlineData("A.B.C.D. 1984")]
    [InlineData("J.O.H.N. 1984")]
    [InlineData("J O H N 1984")]
    public void more_than_three_initials_are_refused_because_they_spell_a_name(string value) =>
        Assert.False(PatientReference.TryNormalise(value, CurrentYear, out _));

    [Fact]
    public void three_initials_written_as_initials_are_accepted()
    {
        Assert.True(PatientReference.TryNormalise("A.B.C. 1984", CurrentYear, out var normalised));
        Assert.Equal("ABC 1984", normalised);
    }

    [Theory]
    [InlineData("JS ١٩٨٤")] // Arabic-Indic digits
    [InlineData("JS １９８４")] // full-width digits
    public void a_year_in_digits_of_another_script_is_refused_not_misread(string value) =>
        Assert.False(PatientReference.TryNormalise(value, CurrentYear, out _));

    [Fact]
    public void five_letters_are_refused() =>
        Assert.False(PatientReference.TryNormalise("ABCDE 1984", CurrentYear, out _));

    [Fact]
    public void a_year_of_birth_after_the_current_year_is_refused() =>
        Assert.False(PatientReference.TryNormalise("JS 2027", CurrentYear, out _));

    [Fact]
    public void a_year_of_birth_in_the_current_year_is_accepted() =>
        Assert.True(PatientReference.TryNormalise("JS 2026", CurrentYear, out _));

    [Fact]
    public void a_year_of_birth_before_1900_is_refused() =>
        Assert.False(PatientReference.TryNormalise("JS 1899", CurrentYear, out _));

    [Fact]
    public void a_year_of_birth_of_1900_is_accepted() =>
        Assert.True(PatientReference.TryNormalise("JS 1900", CurrentYear, out _));

    [Theory]
    [InlineData("JS")]
    [InlineData("JS 84")]
    [InlineData("")]
    public void text_without_a_four_digit_year_is_refused(string value) =>
        Assert.False(PatientReference.TryNormalise(value, CurrentYear, out _));
}
