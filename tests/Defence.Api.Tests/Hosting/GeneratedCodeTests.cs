using Defence.Api.Tests.Infrastructure;
using JasperFx.CodeGeneration;
using JasperFx.CodeGeneration.Model;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Defence.Api.Tests.Hosting;

/// <summary>
/// The API runs the Wolverine endpoint code committed under src/Api/Internal/Generated (TypeLoadMode.Static: no
/// compiler in the process). This regenerates that code the way <c>codegen write</c> does and fails, naming the
/// command, when the committed files differ, are missing or are left over, so stale code cannot ship unnoticed.
/// </summary>
[Collection(GeneratedCodeCollection.Name)]
public sealed class GeneratedCodeTests
{
    public const string Command = "dotnet run --project src/Api -- codegen write";

    static string ApiProject => Path.Combine(Repository.Root, "src", "Api");
    static string Committed => Path.Combine(ApiProject, "Internal", "Generated");

    [Fact]
    public void the_committed_generated_code_is_what_the_endpoints_generate_now()
    {
        var generated = Path.Combine(Path.GetTempPath(), $"defence-generated-{Guid.NewGuid():N}");
        try
        {
            Generate(generated);

            var expected = Files(generated);
            var committed = Files(Committed);
            Assert.Contains(Path.Combine("WolverineHandlers", "POST_api_reports.cs"), expected.Keys);

            var problems = expected.Keys.Union(committed.Keys).Order(StringComparer.Ordinal)
                .Select(file => (file, problem:
                    !committed.TryGetValue(file, out var have) ? "missing" :
                    !expected.TryGetValue(file, out var want) ? "left over: no endpoint generates it now" :
                    have != want ? "out of date" : null))
                .Where(x => x.problem is not null)
                .Select(x => $"  src/Api/Internal/Generated/{x.file.Replace('\\', '/')}: {x.problem}")
                .ToList();

            Assert.True(problems.Count == 0,
                $"The generated code committed under src/Api/Internal/Generated is stale; the API would run it as it is:\n" +
                $"{string.Join("\n", problems)}\n" +
                $"Regenerate it from the repository root with `{Command}` and commit the result " +
                "(delete src/Api/Internal/Generated first if files are left over or it no longer compiles).");
        }
        finally
        {
            if (Directory.Exists(generated)) Directory.Delete(generated, recursive: true);
        }
    }

    /// <summary>
    /// Builds, without starting, the API host as <c>codegen write</c> does (the flag makes Wolverine scan for
    /// endpoints instead of reading the committed registry, and skip its database and agents), then writes
    /// every code file into <paramref name="directory"/> with the command's own <see cref="DynamicCodeBuilder"/>.
    /// </summary>
    static void Generate(string directory)
    {
        DynamicCodeBuilder.WithinCodegenCommand = true;
        try
        {
            var builder = WebApplication.CreateBuilder(new WebApplicationOptions
            {
                ApplicationName = typeof(Startup).Assembly.GetName().Name,
                ContentRootPath = ApiProject,
                EnvironmentName = Environments.Production,
            });
            // Never contacted: building the host opens no connection. Port 1 refuses at once if that changes.
            builder.Configuration.AddInMemoryCollection(ApiFixture.Settings("Host=127.0.0.1;Port=1;Database=unused;Username=unused"));
            builder.AddDefence();
            var app = builder.Build();
            try
            {
                app.UseDefence();

                var collections = app.Services.GetServices<ICodeFileCollection>().ToArray();
                foreach (var collection in collections)
                    collection.Rules.GeneratedCodeOutputPath = directory;

                new DynamicCodeBuilder(app.Services, collections)
                {
                    ServiceVariableSource = app.Services.GetService<IServiceVariableSource>(),
                }.WriteGeneratedCode(_ => { });
            }
            finally
            {
                ((IDisposable)app).Dispose();
            }
        }
        finally
        {
            DynamicCodeBuilder.WithinCodegenCommand = false;
        }
    }

    /// <summary>Every .cs file under <paramref name="root"/> by relative path, with line endings normalised.</summary>
    static Dictionary<string, string> Files(string root) =>
        !Directory.Exists(root)
            ? []
            : Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories).ToDictionary(
                file => Path.GetRelativePath(root, file),
                file => File.ReadAllText(file).ReplaceLineEndings("\n"),
                StringComparer.Ordinal);
}

/// <summary>
/// Alone: <see cref="DynamicCodeBuilder.WithinCodegenCommand"/> is process-wide and changes how any Wolverine host
/// starts and stops, so no other test may run while it is set.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class GeneratedCodeCollection
{
    public const string Name = "generated code";
}
