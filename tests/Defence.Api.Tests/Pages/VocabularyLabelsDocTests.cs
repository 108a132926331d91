using System.Text.RegularExpressions;
using Defence.Api.Tests.Infrastructure;
using Defence.Domain.Vocabulary;

namespace Defence.Api.Tests.Pages;

/// <summary>docs/domain.md lists each vocabulary's codes with the plain words the pages show: exactly the code's labels.</summary>
public sealed partial class VocabularyLabelsDocTests
{
    [Fact]
    public void docs_domain_md_lists_every_code_with_the_words_the_pages_show()
    {
        var rows = Row().Matches(File.ReadAllText(Path.Combine(Repository.Root, "docs", "domain.md")))
            .Select(m => (Code: m.Groups[1].Value, Label: m.Groups[2].Value.Trim()))
            .ToArray();

        var expected = Labels.Choices<Specialty>().Concat(Labels.Choices<Channel>()).Concat(Labels.Choices<Concern>())
            .Concat(Labels.Choices<AdviceAction>()).Concat(Labels.Choices<CaseStatus>());
        Assert.Equal(expected, rows);
    }

    [GeneratedRegex(@"^\| `([a-z-]+)` \| ([^|`]+) \|\s*$", RegexOptions.Multiline)]
    private static partial Regex Row();
}
