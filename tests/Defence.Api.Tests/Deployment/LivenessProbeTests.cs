using System.Net;
using System.Net.Sockets;
using Defence.Api.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Defence.Api.Tests.Deployment;

/// <summary>
/// The image's HEALTHCHECK runs <c>dotnet Defence.Api.dll probe &lt;path&gt;</c>. Here that exact command runs as a
/// process, with no configuration at all (as in a container's health check), against a small server on loopback whose
/// paths answer 200 or 503, so the probe is checked independently of which health endpoints the API maps.
/// </summary>
public sealed class LivenessProbeTests : IAsyncLifetime
{
    WebApplication? _server;
    int _port;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _server = builder.Build();
        _server.MapGet("/health/live", () => Results.Ok());
        _server.MapGet("/health/unwell", () => Results.StatusCode(StatusCodes.Status503ServiceUnavailable));
        await _server.StartAsync();
        var address = _server.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        _port = new Uri(address).Port;
    }

    public async Task DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync();
    }

    static Task<ApiProcess.Result> Probe(string path, string httpPorts) =>
        ApiProcess.RunAsync([LivenessProbe.Command, path], new Dictionary<string, string?> { ["ASPNETCORE_HTTP_PORTS"] = httpPorts },
            TimeSpan.FromSeconds(30));

    [Fact]
    public async Task the_probe_succeeds_when_the_path_answers_200_on_the_first_configured_port()
    {
        var result = await Probe("/health/live", $"{_port};9");

        Assert.True(result.ExitCode == 0, $"probe exited {result.ExitCode}: {result.All}");
    }

    [Fact]
    public async Task the_probe_fails_when_the_path_answers_an_error()
    {
        var result = await Probe("/health/unwell", $"{_port}");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("503", result.Error);
    }

    [Fact]
    public async Task the_probe_fails_when_nothing_listens()
    {
        using var reserved = new TcpListener(IPAddress.Loopback, 0);
        reserved.Start();
        var closedPort = ((IPEndPoint)reserved.LocalEndpoint).Port;
        reserved.Stop();

        var result = await Probe("/health/live", $"{closedPort}");

        Assert.Equal(1, result.ExitCode);
    }

    [Theory]
    [InlineData(null, LivenessProbe.DefaultPort)]
    [InlineData("", LivenessProbe.DefaultPort)]
    [InlineData("8081", 8081)]
    [InlineData("8082;8083", 8082)]
    public void the_probe_asks_the_first_port_kestrel_is_told_to_listen_on(string? httpPorts, int expected) =>
        Assert.Equal(expected, LivenessProbe.Port(httpPorts));
}
