using System.Text.RegularExpressions;
using Defence.Api.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using YamlDotNet.RepresentationModel;

namespace Defence.Api.Tests.Deployment;

/// <summary>What the deployment files (Dockerfile, compose.yaml, the chart) say, read the way their tools read them.</summary>
public static class DeploymentFiles
{
    public static string PathOf(params string[] parts) => Path.Combine([Repository.Root, .. parts]);

    public static string Read(params string[] parts) => File.ReadAllText(PathOf(parts));

    /// <summary>The API's assembly name as its project file builds it (an explicit AssemblyName, else the file name).</summary>
    public static string ApiAssemblyName()
    {
        var project = PathOf("src", "Api", "Defence.Api.csproj");
        var explicitName = Regex.Match(File.ReadAllText(project), "<AssemblyName>([^<]+)</AssemblyName>");
        return explicitName.Success ? explicitName.Groups[1].Value : Path.GetFileNameWithoutExtension(project);
    }

    /// <summary>One Dockerfile instruction: its keyword (upper case) and the rest of its (joined) lines.</summary>
    public sealed record Instruction(string Keyword, string Arguments);

    /// <summary>The instructions of the Dockerfile's last stage (the image that runs), comments dropped, continuations joined.</summary>
    public static IReadOnlyList<Instruction> FinalStage(string dockerfile)
    {
        var instructions = Instructions(dockerfile);
        var from = instructions.Select((x, i) => (x, i)).Last(p => p.x.Keyword == "FROM").i;
        return instructions.Skip(from).ToList();
    }

    public static IReadOnlyList<Instruction> Instructions(string dockerfile)
    {
        var result = new List<Instruction>();
        var current = "";
        foreach (var raw in dockerfile.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.TrimStart().StartsWith('#')) continue;
            if (line.EndsWith('\\'))
            {
                current += line[..^1] + " ";
                continue;
            }
            current += line;
            if (current.Trim() is { Length: > 0 } complete)
            {
                var space = complete.IndexOfAny([' ', '\t']);
                result.Add(space < 0
                    ? new Instruction(complete.ToUpperInvariant(), "")
                    : new Instruction(complete[..space].ToUpperInvariant(), Regex.Replace(complete[space..].Trim(), @"\s+", " ")));
            }
            current = "";
        }
        return result;
    }

    /// <summary>The name=value pairs of a stage's ENV instructions.</summary>
    public static Dictionary<string, string> Environment(IEnumerable<Instruction> stage) =>
        stage.Where(i => i.Keyword == "ENV")
            .SelectMany(i => Regex.Matches(i.Arguments, @"([A-Za-z_][A-Za-z0-9_]*)=(""[^""]*""|\S*)"))
            .ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value.Trim('"'));

    /// <summary>An exec-form (JSON array) argument list, e.g. of ENTRYPOINT or HEALTHCHECK's CMD.</summary>
    public static string[] ExecForm(string arguments)
    {
        var array = Regex.Match(arguments, @"\[.*\]$");
        Assert.True(array.Success, $"Expected the exec (JSON array) form, got: {arguments}");
        return System.Text.Json.JsonSerializer.Deserialize<string[]>(array.Value)!;
    }

    /// <summary>
    /// The settings the README's Configuration table documents, as patterns over environment variable names:
    /// <c>&lt;key&gt;</c> stands for any name, an index for any index, and <c>..__Value</c> for the previous name's sibling.
    /// </summary>
    public static IReadOnlyList<Regex> DocumentedSettings()
    {
        var readme = Read("README.md");
        var table = Regex.Match(readme, @"## Configuration\s*\n(?<rows>(\|.*\n)+)");
        Assert.True(table.Success, "README.md has no Configuration table.");

        var patterns = new List<Regex>();
        foreach (var row in table.Groups["rows"].Value.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(2))
        {
            var firstCell = row.Split('|', StringSplitOptions.RemoveEmptyEntries)[0];
            string? previous = null;
            foreach (Match code in Regex.Matches(firstCell, "`([^`]+)`"))
            {
                var name = code.Groups[1].Value;
                if (name.StartsWith("..__") && previous is not null)
                    name = previous[..previous.LastIndexOf("__", StringComparison.Ordinal)] + name[2..];
                previous = name;
                var pattern = Regex.Escape(name).Replace("<key>", "[A-Za-z0-9_-]+?").Replace("<n>", "[0-9]+");
                pattern = Regex.Replace(pattern, "__[0-9]+(?=__|$)", "__[0-9]+");
                patterns.Add(new Regex($"^{pattern}$"));
            }
        }
        return patterns;
    }

    public static void AssertDocumented(IEnumerable<string> environmentNames, string where)
    {
        var documented = DocumentedSettings();
        var unknown = environmentNames.Where(n => !documented.Any(p => p.IsMatch(n))).ToList();
        Assert.True(unknown.Count == 0,
            $"{where} sets {string.Join(", ", unknown)}, which README.md's Configuration table does not document, so the app " +
            "may not read it (a misspelt setting is silently ignored). Fix the name, or document the setting.");
    }

    /// <summary>Environment variables as the API's configuration sees them (<c>A__B</c> is <c>A:B</c>).</summary>
    public static IConfiguration ConfigurationOf(IReadOnlyDictionary<string, string> environment) =>
        new ConfigurationBuilder()
            .AddInMemoryCollection(environment.Select(e => KeyValuePair.Create(e.Key.Replace("__", ":"), (string?)e.Value)))
            .Build();

    /// <summary>The paths of the Operations table of the HTTP API's description (docs/http-api.md).</summary>
    public static IReadOnlyList<string> ContractOperationPaths()
    {
        var contract = Path.Combine(Repository.Root, "docs", "http-api.md");
        var operations = Regex.Match(File.ReadAllText(contract), @"## Operations\s*\n(?<rows>(\|.*\n)+)");
        Assert.True(operations.Success, $"{contract} has no Operations table.");
        return Regex.Matches(operations.Groups["rows"].Value, @"`GET (/[^`\s]*)`").Select(m => m.Groups[1].Value).ToList();
    }

    public static YamlMappingNode Yaml(string text)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    /// <summary>Every YAML document of a multi-document text (helm template's output), skipping empty ones.</summary>
    public static IReadOnlyList<YamlMappingNode> YamlDocuments(string text)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        return stream.Documents.Select(d => d.RootNode).OfType<YamlMappingNode>().ToList();
    }

    public static YamlNode? Get(this YamlNode node, params string[] path)
    {
        foreach (var key in path)
        {
            if (node is not YamlMappingNode map || !map.Children.TryGetValue(new YamlScalarNode(key), out var child)) return null;
            node = child;
        }
        return node;
    }

    public static string? Scalar(this YamlNode node, params string[] path) => (node.Get(path) as YamlScalarNode)?.Value;

    public static IEnumerable<YamlNode> Items(this YamlNode node, params string[] path) =>
        node.Get(path) is YamlSequenceNode sequence ? sequence.Children : [];

    public static IEnumerable<string> Keys(this YamlNode node, params string[] path) =>
        node.Get(path) is YamlMappingNode map ? map.Children.Keys.OfType<YamlScalarNode>().Select(k => k.Value!) : [];
}
