using System.Text.Json.Nodes;
using Defence.Api.Hosting;
using Defence.Api.Identity;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using YamlDotNet.RepresentationModel;
using static Defence.Api.Tests.Deployment.DeploymentFiles;

namespace Defence.Api.Tests.Deployment;

/// <summary>
/// No Docker engine runs here, so the Dockerfile and compose.yaml are checked by reading them: what the image and the
/// trial set (port, environment, user, entry point, health check) must be what the app reads and the chart expects.
/// </summary>
public sealed class ImageTests
{
    static readonly IReadOnlyList<DeploymentFiles.Instruction> Image = FinalStage(Read("Dockerfile"));
    static readonly YamlMappingNode Compose = Yaml(Read("compose.yaml"));
    static readonly YamlMappingNode ChartValues = Yaml(Read("deploy", "helm", "defence", "values.yaml"));

    static string Single(string keyword) => Assert.Single(Image, i => i.Keyword == keyword).Arguments;

    [Fact]
    public void the_image_runs_the_assembly_the_api_project_builds_from_where_it_is_published()
    {
        var assembly = ApiAssemblyName();
        Assert.Equal(typeof(Program).Assembly.GetName().Name, assembly);

        Assert.Equal(["dotnet", $"{assembly}.dll"], ExecForm(Single("ENTRYPOINT")));
        Assert.Equal("/app", Single("WORKDIR"));
        Assert.Contains(Image, i => i.Keyword == "COPY" && i.Arguments == "--from=build /app ./");
        Assert.Contains(Instructions(Read("Dockerfile")), i => i.Keyword == "RUN" &&
            i.Arguments.StartsWith("dotnet publish src/Api/Defence.Api.csproj ") && i.Arguments.Contains(" -o /app"));
        Assert.StartsWith("mcr.microsoft.com/dotnet/aspnet:10.0", Single("FROM"));
    }

    [Fact]
    public void the_image_listens_on_the_port_it_exposes_and_the_chart_and_compose_use()
    {
        var port = Environment(Image)["ASPNETCORE_HTTP_PORTS"];

        Assert.Equal(port, Single("EXPOSE"));
        Assert.Equal(int.Parse(port), LivenessProbe.Port(port));
        Assert.Equal(port, ChartValues.Scalar("containerPort"));
        Assert.Contains($":{port}", Compose.Items("services", "api", "ports").OfType<YamlScalarNode>().Select(p => p.Value!).Single());
    }

    [Fact]
    public void the_image_runs_as_the_numeric_non_root_user_the_chart_expects()
    {
        var user = Single("USER");

        Assert.True(int.TryParse(user, out var uid) && uid > 0, $"USER {user}: Kubernetes' runAsNonRoot can only verify a numeric, non-zero user.");
        Assert.Equal(user, ChartValues.Scalar("podSecurityContext", "runAsUser"));
    }

    [Fact]
    public void the_health_check_runs_the_api_probe_on_the_liveness_path_of_the_contract_and_the_chart()
    {
        var check = Single("HEALTHCHECK");
        var command = ExecForm(check[(check.IndexOf("CMD ", StringComparison.Ordinal) + 4)..]);

        Assert.Equal(["dotnet", $"{ApiAssemblyName()}.dll", LivenessProbe.Command], command[..3]);
        var path = Assert.Single(command[3..]);
        Assert.Equal("/health/live", path);
        Assert.Contains(path, ContractOperationPaths());
        Assert.Equal(path, ChartValues.Scalar("probes", "livenessPath"));
    }

    [Fact]
    public void the_image_keeps_the_api_project_runtime_settings()
    {
        var project = Read("src", "Api", "Defence.Api.csproj");
        Assert.Contains("<TieredPGO>false</TieredPGO>", project);
        Assert.Contains("<ServerGarbageCollection>false</ServerGarbageCollection>", project);

        // What the publish writes beside the dll; the image runs that file and overrides neither setting.
        var runtimeConfig = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Defence.Api.runtimeconfig.json")))!;
        Assert.False(runtimeConfig["runtimeOptions"]!["configProperties"]!["System.Runtime.TieredPGO"]!.GetValue<bool>());
        Assert.False(runtimeConfig["runtimeOptions"]!["configProperties"]!["System.GC.Server"]!.GetValue<bool>());
        var dockerfile = Instructions(Read("Dockerfile"));
        Assert.DoesNotContain(dockerfile, i => i.Arguments.Contains("TieredPGO", StringComparison.OrdinalIgnoreCase)
                                               || i.Arguments.Contains("gcServer", StringComparison.OrdinalIgnoreCase)
                                               || i.Arguments.Contains("GarbageCollection", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void every_setting_the_image_and_compose_set_is_one_the_app_reads()
    {
        AssertDocumented(Environment(Image).Keys, "The Dockerfile");
        foreach (var service in new[] { "api", "migrate" })
            AssertDocumented(Compose.Keys("services", service, "environment"), $"compose.yaml's {service} service");
    }

    [Fact]
    public void every_file_the_build_stage_copies_exists_and_build_output_stays_out_of_the_context()
    {
        var sources = Instructions(Read("Dockerfile"))
            .Where(i => i.Keyword == "COPY" && !i.Arguments.StartsWith("--from"))
            .SelectMany(i => i.Arguments.Split(' ')[..^1]);

        foreach (var source in sources)
            Assert.True(File.Exists(PathOf(source)) || Directory.Exists(PathOf(source)), $"The Dockerfile copies {source}, which does not exist.");
        var ignored = Read(".dockerignore").Split('\n').Select(l => l.Trim()).ToList();
        Assert.Contains("**/bin/", ignored);
        Assert.Contains("**/obj/", ignored);
    }

    [Fact]
    public void compose_migrates_once_before_starting_an_api_that_changes_no_schema()
    {
        var migrate = Compose.Get("services", "migrate")!;
        var api = Compose.Get("services", "api")!;

        Assert.Equal([DatabaseSchema.MigrateCommandName], migrate.Items("command").OfType<YamlScalarNode>().Select(c => c.Value));
        Assert.Equal("service_completed_successfully", api.Scalar("depends_on", "migrate", "condition"));
        Assert.Equal("service_healthy", migrate.Scalar("depends_on", "postgres", "condition"));
        Assert.Equal("false", api.Scalar("environment", DatabaseSchema.ApplyOnStartSetting.Replace(":", "__")));
        Assert.Equal("true", api.Scalar("read_only"));
        Assert.Equal("/tmp", api.Items("tmpfs").OfType<YamlScalarNode>().Single().Value);
    }

    [Fact]
    public void compose_runs_postgresql_15_and_configures_a_development_key_and_tenants_the_api_accepts()
    {
        var postgres = Compose.Get("services", "postgres")!;
        Assert.Equal("postgres:15", postgres.Scalar("image"));

        var environment = ((YamlMappingNode)Compose.Get("services", "api", "environment")!).Children
            .ToDictionary(e => ((YamlScalarNode)e.Key).Value!, e => ((YamlScalarNode)e.Value).Value!);
        var configuration = ConfigurationOf(environment);

        var connection = new Npgsql.NpgsqlConnectionStringBuilder(configuration.GetConnectionString(DatabaseSetup.ConnectionStringName));
        Assert.Equal("postgres", connection.Host);
        Assert.Equal(postgres.Scalar("environment", "POSTGRES_PASSWORD"), connection.Password);
        Assert.Equal(postgres.Scalar("environment", "POSTGRES_DB"), connection.Database);

        Assert.Equal(TokenValidation.DevelopmentKey, IdentitySetup.ChooseTokenValidation(configuration));
        var tenants = new ServiceCollection().AddDefenceIdentity(configuration).BuildServiceProvider().GetRequiredService<TenantRegistry>();
        Assert.Equal(["mdu", "mps"], tenants.TenantKeys.Order());
        // ASP.NET Core uses a signing key only for its own issuer: a mismatch would refuse every token.
        Assert.Equal(configuration["Authentication:Schemes:Bearer:ValidIssuer"], configuration["Authentication:Schemes:Bearer:SigningKeys:0:Issuer"]);

        var keyLine = Read("compose.yaml").Split('\n').TakeWhile(l => !l.Contains("SigningKeys__0__Value")).Last();
        Assert.Contains("THROWAWAY", keyLine);
    }
}
