using Defence.Domain.Vocabulary;

namespace Defence.Domain.Tests;

public class LabelTests
{
    [Fact]
    public void every_value_of_every_vocabulary_has_plain_words_distinct_within_its_vocabulary()
    {
        AssertLabelled<Specialty>();
        AssertLabelled<Channel>();
        AssertLabelled<Concern>();
        AssertLabelled<AdviceAction>();
        AssertLabelled<CaseStatus>();
    }

    [Fact]
    public void an_advice_action_reads_as_the_mdus_advice() =>
        Assert.Equal("Keep a log of all calls and contacts", Labels.ForCode<AdviceAction>("keep-contact-log"));

    [Fact]
    public void the_choices_pair_each_code_with_its_words_in_declaration_order()
    {
        var choices = Labels.Choices<Concern>();

        Assert.Equal(Code.All<Concern>(), choices.Select(c => c.Code));
        Assert.Equal(("amorous-advances", "Amorous advances"), choices[0]);
    }

    [Fact]
    public void an_unknown_code_reads_as_itself() =>
        Assert.Equal("fax", Labels.ForCode<Channel>("fax"));

    static void AssertLabelled<T>() where T : struct, Enum
    {
        var labels = Enum.GetValues<T>().Select(Labels.Of).ToArray();
        Assert.All(labels, l => Assert.False(string.IsNullOrWhiteSpace(l)));
        Assert.Equal(labels.Length, labels.Distinct().Count());
    }
}
