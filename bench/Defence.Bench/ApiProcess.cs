using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Defence.Api.Identity;
using Microsoft.Extensions.Configuration;

namespace Defence.Bench;

/// <summary>
/// The API's configuration for one run, given to the API process as environment variables, and the
/// same values as an in-memory configuration so <see cref="DevelopmentTokens"/> mints tokens it accepts.
/// </summary>
public sealed class ApiSettings
{
    public const string Tenant = "bench";
    public const string EntraTenantId = "b0000000-0000-4000-8000-00000000be7c";
    const string Issuer = "defence-bench";
    const string Audience = "defence-api";

    public ApiSettings(string connectionString)
    {
        // A signing key made for this run only.
        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        Values = new Dictionary<string, string>
        {
            ["ConnectionStrings:Marten"] = connectionString,
            [$"{IdentitySetup.BearerSection}:ValidIssuer"] = Issuer,
            [$"{IdentitySetup.BearerSection}:ValidAudiences:0"] = Audience,
            [$"{IdentitySetup.BearerSection}:SigningKeys:0:Issuer"] = Issuer,
            [$"{IdentitySetup.BearerSection}:SigningKeys:0:Value"] = key,
            [$"Tenants:{Tenant}:EntraTenantIds:0"] = EntraTenantId,
            // The bench measures capacity, so the per-user abuse limits (issue 3) are lifted for it.
            ["RateLimits:Reports:PermitLimit"] = "1000000000",
            ["RateLimits:Imports:PermitLimit"] = "1000000000",
        };
        Tokens = new DevelopmentTokens(new ConfigurationBuilder().AddInMemoryCollection(Values!).Build());
    }

    public IReadOnlyDictionary<string, string> Values { get; }
    public DevelopmentTokens Tokens { get; }

    public string Token(string role, Guid? user = null) => Tokens.Create(EntraTenantId, user ?? Guid.NewGuid(), [role]);

    /// <summary>The environment of an API process (or one of its commands): Production, configured only by these variables.</summary>
    public void Apply(ProcessStartInfo start)
    {
        foreach (var name in new[] { "ASPNETCORE_URLS", "DOTNET_URLS", "ASPNETCORE_HTTP_PORTS", "ASPNETCORE_HTTPS_PORTS", "ConnectionStrings__Marten" })
            start.Environment.Remove(name);
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        foreach (var (key, value) in Values)
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
    }
}

/// <summary>The API running as its own process from its built dll, on a free loopback port.</summary>
public sealed class ApiProcess : IAsyncDisposable
{
    readonly Process _process;
    readonly StreamWriter _log;

    ApiProcess(Process process, StreamWriter log, int port)
    {
        _process = process;
        _log = log;
        Port = port;
        BaseAddress = new Uri($"http://127.0.0.1:{port}");
    }

    public int Port { get; }
    public Uri BaseAddress { get; }
    public int Pid => _process.Id;
    public DateTime StartedAt { get; private set; }
    public long PeakMemoryBytes { get; private set; }

    public static ApiProcess Start(string dll, ApiSettings settings, string logPath)
    {
        var port = FreePort();
        var start = Command(dll, settings, ["--urls", $"http://127.0.0.1:{port}"]);
        var log = new StreamWriter(logPath, append: true) { AutoFlush = true };
        log.WriteLine($"--- {DateTime.UtcNow:O} starting the API on port {port}");
        var process = Start(start, log);
        return new ApiProcess(process, log, port) { StartedAt = DateTime.UtcNow };
    }

    /// <summary><c>dotnet Defence.Api.dll args</c>, run from the dll's folder (its content root, for appsettings.json).</summary>
    public static ProcessStartInfo Command(string dll, ApiSettings settings, IEnumerable<string> args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);
        foreach (var arg in args) start.ArgumentList.Add(arg);
        settings.Apply(start);
        return start;
    }

    /// <summary>Starts a process whose output goes to <paramref name="log"/>.</summary>
    public static Process Start(ProcessStartInfo start, StreamWriter log)
    {
        var process = new Process { StartInfo = start };
        void Write(string? line) { if (line is not null) lock (log) log.WriteLine(line); }
        process.OutputDataReceived += (_, e) => Write(e.Data);
        process.ErrorDataReceived += (_, e) => Write(e.Data);
        if (!process.Start()) throw new InvalidOperationException($"Could not start {start.FileName}.");
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>Waits until GET /health/live answers 200; fails if the process exits or the time runs out.</summary>
    public async Task WaitHealthyAsync(HttpClient http, TimeSpan timeout, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"The API exited with code {_process.ExitCode} while starting; see its log.");
            try
            {
                using var response = await http.GetAsync(new Uri(BaseAddress, "/health/live"), ct);
                if (response.IsSuccessStatusCode) return;
            }
            catch (HttpRequestException) { }
            await Task.Delay(100, ct);
        }
        throw new TimeoutException($"The API did not answer /health/live within {timeout.TotalSeconds:N0} s; see its log.");
    }

    /// <summary>VmHWM: the most resident memory the process has had.</summary>
    public long ReadPeakMemory()
    {
        try
        {
            var line = File.ReadLines($"/proc/{_process.Id}/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
            if (line is not null)
                PeakMemoryBytes = Math.Max(PeakMemoryBytes, long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024);
        }
        catch (IOException) { }
        return PeakMemoryBytes;
    }

    /// <summary>Reads the peak memory, then stops the API gracefully (SIGTERM), so it hands back its Wolverine leadership.</summary>
    public async Task StopAsync()
    {
        if (_process.HasExited) return;
        ReadPeakMemory();
        if (kill(_process.Id, SIGTERM) == 0)
        {
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try { await _process.WaitForExitAsync(wait.Token); }
            catch (OperationCanceledException) { }
        }
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        try { await StopAsync(); }
        finally
        {
            _process.Dispose();
            lock (_log) _log.Dispose();
        }
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    const int SIGTERM = 15;

    [DllImport("libc", SetLastError = true)]
    static extern int kill(int pid, int sig);
}
