namespace Defence.Api.Hosting;

/// <summary>
/// <c>dotnet Defence.Api.dll probe /health/live</c>: asks the API running in the same container for a path on
/// 127.0.0.1 and exits 0 when it answers 2xx, else 1. The image's HEALTHCHECK runs it because the ASP.NET runtime
/// image has no curl or wget; it runs before the host is built, so it needs no configuration and costs a bare
/// runtime start rather than the API's.
/// </summary>
public static class LivenessProbe
{
    public const string Command = "probe";

    /// <summary>Where Kestrel listens when <c>ASPNETCORE_HTTP_PORTS</c> is unset in the .NET images.</summary>
    public const int DefaultPort = 8080;

    public static bool IsRequested(string[] args) => args is [Command, ..];

    public static async Task<int> RunAsync(string[] args)
    {
        if (args is not [Command, var path] || !path.StartsWith('/'))
        {
            Console.Error.WriteLine($"Usage: dotnet Defence.Api.dll {Command} <path>, e.g. {Command} /health/live");
            return 2;
        }

        var url = $"http://127.0.0.1:{Port(Environment.GetEnvironmentVariable("ASPNETCORE_HTTP_PORTS"))}{path}";
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(3) };
        try
        {
            using var response = await http.GetAsync(url);
            if (response.IsSuccessStatusCode) return 0;
            Console.Error.WriteLine($"GET {url}: {(int)response.StatusCode} {response.StatusCode}");
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            Console.Error.WriteLine($"GET {url}: {e.Message}");
        }
        return 1;
    }

    /// <summary>The first of <c>ASPNETCORE_HTTP_PORTS</c> (a list separated by ';'), as Kestrel reads it.</summary>
    public static int Port(string? httpPorts) =>
        httpPorts?.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) is [var first, ..] && int.TryParse(first, out var port)
            ? port
            : DefaultPort;
}
