using System.ComponentModel;
using System.Diagnostics;
using Defence.Api.Tests.Infrastructure;

namespace Defence.Api.Tests.Hosting;

/// <summary>
/// The OpenAPI document as its clients use it: a real generator (openapi-typescript, from npm in tests/openapi-client)
/// makes a client from it, and the TypeScript compiler checks code written against that client, including requests the
/// types must refuse; and Redocly's recommended-strict rules find nothing to fix (tests/openapi-client/redocly.yaml says why one is off).
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class OpenApiClientTests(ApiFixture api)
{
    static readonly string Tools = Path.Combine(Repository.Root, "tests", "openapi-client");

    [Fact]
    public async Task a_client_generated_from_the_document_compiles_and_refuses_incomplete_requests()
    {
        var work = await DocumentInAsync();
        foreach (var file in new[] { "client-check.ts", "tsconfig.json" })
            File.Copy(Path.Combine(Tools, file), Path.Combine(work, file));

        await NodeAsync("openapi-typescript/bin/cli.js", "openapi.json", "--output", "api.d.ts");
        await NodeAsync("typescript/bin/tsc", "--project", "tsconfig.json");

        async Task NodeAsync(string tool, params string[] args) => await RunAsync(work, tool, args);
    }

    [Fact]
    public async Task the_document_passes_redocly_recommended_strict()
    {
        var work = await DocumentInAsync();
        File.Copy(Path.Combine(Tools, "redocly.yaml"), Path.Combine(work, "redocly.yaml"));

        await RunAsync(work, "@redocly/cli/bin/cli.js", "lint", "--config", "redocly.yaml", "--format", "stylish", "openapi.json");
    }

    async Task<string> DocumentInAsync()
    {
        var work = Directory.CreateTempSubdirectory("defence-openapi-").FullName;
        await File.WriteAllTextAsync(Path.Combine(work, "openapi.json"), await api.Anonymous().GetStringAsync("/swagger/v1/swagger.json"));
        return work;
    }

    static async Task RunAsync(string workingDirectory, string tool, params string[] args)
    {
        var script = Path.Combine(Tools, "node_modules", tool);
        if (!File.Exists(script)) await OidcIssuer.NpmCiAsync(Tools);
        Assert.True(File.Exists(script), $"{script} is missing: run 'npm ci' in tests/openapi-client (Node.js 20.19+).");

        var start = new ProcessStartInfo("node", [script, .. args])
        {
            WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        using var node = Process.Start(start) ?? throw new Win32Exception("node did not start");
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var output = node.StandardOutput.ReadToEndAsync(timeout.Token);
        var errors = node.StandardError.ReadToEndAsync(timeout.Token);
        await node.WaitForExitAsync(timeout.Token);
        Assert.True(node.ExitCode == 0, $"{tool} {string.Join(' ', args)} exited {node.ExitCode}:\n{await output}\n{await errors}");
    }
}
