using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using Defence.Api.Hosting;
using Defence.Api.Identity;
using Defence.Api.Tests.Deployment;
using Defence.Api.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;

namespace Defence.Api.Tests.Faults;

/// <summary>
/// The built API (<c>dotnet Defence.Api.dll</c>) as a long-running process on a free port, in the Production
/// environment, as a deployment runs it: started, waited for (<c>/health/live</c>), called over real HTTP, and
/// killed with SIGKILL (<see cref="Kill"/>) when a test needs a crash. Its console output is kept for the test's
/// failure messages and for searching it for text that must never be logged.
/// </summary>
public sealed partial class RunningApi : IAsyncDisposable
{
    readonly Process _process;
    readonly ConcurrentQueue<string> _output = new();

    RunningApi(Process process) => _process = process;

    /// <summary>Where this process listens, as Kestrel itself announced it (so never another process that took a probed port first).</summary>
    public Uri BaseAddress { get; private set; } = new("http://127.0.0.1:0");

    /// <summary>Everything the process wrote to stdout and stderr so far.</summary>
    public string Output => string.Join('\n', _output);

    public bool HasExited => _process.HasExited;

    /// <summary>The settings a host needs (<see cref="ApiFixture.Settings"/>) over this database, plus <paramref name="extra"/>.</summary>
    public static Dictionary<string, string?> SettingsFor(string connectionString, params (string Key, string Value)[] extra)
    {
        var settings = ApiFixture.Settings(connectionString);
        // The shared fixture's limit is for many tests as one member; a fault test sends many reports per member too.
        settings["RateLimits:Reports:PermitLimit"] = "1000000";
        foreach (var (key, value) in extra) settings[key] = value;
        return settings;
    }

    /// <summary>Tokens signed with the development key the processes started here validate.</summary>
    public static DevelopmentTokens Tokens { get; } =
        new(new ConfigurationBuilder().AddInMemoryCollection(ApiFixture.Settings("Host=unused")).Build());

    public static async Task<RunningApi> StartAsync(IReadOnlyDictionary<string, string?> settings, TimeSpan? timeout = null)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(ApiProcess.Dll);
        foreach (var key in start.Environment.Keys.ToList())
            if (key.StartsWith("ASPNETCORE_") || key.StartsWith("DOTNET_ENVIRONMENT") || key.Contains("__"))
                start.Environment.Remove(key);
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        // Port 0: Kestrel takes a free port itself and announces it, so no other process can be on it.
        start.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        foreach (var (key, value) in ApiProcess.AsEnvironment(settings)) start.Environment[key] = value;

        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start dotnet.");
        var api = new RunningApi(process);
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) api._output.Enqueue(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) api._output.Enqueue(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var probe = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var ready = await Eventually.TrueAsync(async () =>
        {
            if (process.HasExited) return true;
            if (api.BaseAddress.Port == 0)
            {
                if (api._output.Select(l => Listening().Match(l)).FirstOrDefault(m => m.Success) is not { } announced) return false;
                api.BaseAddress = new Uri(announced.Groups[1].Value);
            }
            try { return (await probe.GetAsync(new Uri(api.BaseAddress, Readiness.LivePath))).StatusCode == HttpStatusCode.OK; }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException) { return false; }
        }, timeout ?? TimeSpan.FromSeconds(120), every: TimeSpan.FromMilliseconds(200));
        if (!ready || process.HasExited)
        {
            var (output, exited) = (api.Output, process.HasExited);
            await api.DisposeAsync();
            Assert.Fail($"The API did not come up at {api.BaseAddress} ({(exited ? "it exited" : "no answer")}):\n{output}");
        }
        return api;
    }

    /// <summary>A client for this process; with a user, its calls carry that user's token.</summary>
    public HttpClient Client(TestUser? user = null, TimeSpan? timeout = null)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = timeout ?? TimeSpan.FromSeconds(60) };
        if (user is not null)
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Tokens.Create(user.Tid, user.Id, user.Roles));
        return client;
    }

    /// <summary>SIGKILL: the process ends at once, with no shutdown of any kind (no flush, no draining, no goodbye to the database).</summary>
    public void Kill()
    {
        if (_process.HasExited) return;
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit(30_000);
    }

    public ValueTask DisposeAsync()
    {
        Kill();
        _process.Dispose();
        return ValueTask.CompletedTask;
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"Now listening on: (http://127\.0\.0\.1:[0-9]+)")]
    private static partial System.Text.RegularExpressions.Regex Listening();
}

/// <summary>Waiting on a condition with a deadline, never on a fixed sleep.</summary>
public static class Eventually
{
    public static async Task<bool> TrueAsync(Func<Task<bool>> condition, TimeSpan timeout, TimeSpan? every = null)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (await condition()) return true;
            if (clock.Elapsed > timeout) return false;
            await Task.Delay(every ?? TimeSpan.FromMilliseconds(250));
        }
    }
}
