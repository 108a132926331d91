using System.Diagnostics;

namespace Defence.Api.Tests.Deployment;

/// <summary>
/// Runs the API's own dll as a separate process (<c>dotnet Defence.Api.dll ...</c>), as the image and the chart's Job
/// do, with only the environment variables given (plus what <c>dotnet</c> needs to run).
/// </summary>
public static class ApiProcess
{
    /// <summary>The build output of the API, copied beside the tests (with its runtimeconfig and deps files).</summary>
    public static string Dll { get; } = Path.Combine(AppContext.BaseDirectory, "Defence.Api.dll");

    public sealed record Result(int ExitCode, string Output, string Error)
    {
        public string All => Output + Error;
    }

    public static async Task<Result> RunAsync(IEnumerable<string> args, IReadOnlyDictionary<string, string?> environment, TimeSpan timeout)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(Dll);
        foreach (var arg in args) start.ArgumentList.Add(arg);
        // Not inherited: the test run's own settings (e.g. a DEFENCE_TEST_CONNECTION_STRING or an environment name) must not leak in.
        foreach (var key in start.Environment.Keys.ToList())
            if (key.StartsWith("ASPNETCORE_") || key.StartsWith("DOTNET_ENVIRONMENT") || key.Contains("__"))
                start.Environment.Remove(key);
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        foreach (var (key, value) in environment) start.Environment[key] = value;

        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start dotnet.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"'dotnet Defence.Api.dll {string.Join(' ', args)}' did not finish within {timeout.TotalSeconds:N0} s:\n{await output}\n{await error}");
        }
        return new Result(process.ExitCode, await output, await error);
    }

    /// <summary>Configuration keys (<c>A:B</c>) as the environment variables an operator sets (<c>A__B</c>).</summary>
    public static Dictionary<string, string?> AsEnvironment(IReadOnlyDictionary<string, string?> settings) =>
        settings.ToDictionary(s => s.Key.Replace(":", "__"), s => s.Value);
}
