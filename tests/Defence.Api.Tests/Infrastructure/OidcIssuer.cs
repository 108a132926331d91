using System.ComponentModel;
using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Defence.Api.Tests.Infrastructure;

/// <summary>
/// A real OpenID Connect issuer on loopback: the npm package oauth2-mock-server, started by
/// <c>tests/oidc-issuer/issuer.mjs</c>. It serves discovery and JWKS and signs every token with its own
/// RS256 key; this class only asks its <c>/token</c> endpoint for tokens with the claims a test needs.
/// </summary>
public sealed class OidcIssuer : IAsyncDisposable
{
    const string Setup = "run 'npm ci' in tests/oidc-issuer (the tests try this themselves when npm is on PATH)";

    readonly Process _node;
    readonly HttpClient _http = new();

    OidcIssuer(Process node, string url)
    {
        _node = node;
        Url = url;
    }

    /// <summary>The issuer (<c>iss</c>) of its tokens, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public string Url { get; }

    /// <param name="discoveryPrefix">Where below the issuer to serve the discovery document, e.g. <c>/organizations/v2.0</c>.</param>
    public static async Task<OidcIssuer> StartAsync(string discoveryPrefix)
    {
        var directory = Path.Combine(Repository.Root, "tests", "oidc-issuer");
        var installed = Path.Combine(directory, "node_modules", "oauth2-mock-server", "package.json");
        // So that 'dotnet test' alone sets up a fresh machine: install the pinned package from the lock file.
        if (!File.Exists(installed)) await NpmCiAsync(directory);
        if (!File.Exists(installed))
            throw new InvalidOperationException($"The npm package oauth2-mock-server is not installed in {directory}: {Setup}.");

        var start = new ProcessStartInfo("node", ["issuer.mjs", discoveryPrefix])
        {
            WorkingDirectory = directory,
            RedirectStandardInput = true, // the issuer stops when this closes, even if the test run is killed
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };

        Process node;
        try
        {
            node = Process.Start(start) ?? throw new InvalidOperationException("node did not start.");
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException(
                $"The Entra ID tests need Node.js 20.19 or later ('node' on PATH) to run oauth2-mock-server; then {Setup}.", e);
        }

        var stderr = node.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        string? line;
        try
        {
            line = await node.StandardOutput.ReadLineAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            line = null;
        }

        if (line is null || JsonNode.Parse(line)?["issuer"]?.GetValue<string>() is not { } url)
        {
            if (!node.HasExited) node.Kill(entireProcessTree: true);
            await node.WaitForExitAsync();
            throw new InvalidOperationException(
                $"oauth2-mock-server did not start (if its packages are missing, {Setup}). It said: {line} {await stderr}");
        }
        return new OidcIssuer(node, url);
    }

    internal static async Task NpmCiAsync(string directory)
    {
        try
        {
            var start = new ProcessStartInfo("npm", ["ci", "--no-audit", "--no-fund", "--loglevel=error"])
            {
                WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            };
            using var npm = Process.Start(start);
            if (npm is null) return;
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
            await Task.WhenAll(npm.StandardOutput.ReadToEndAsync(timeout.Token), npm.StandardError.ReadToEndAsync(timeout.Token), npm.WaitForExitAsync(timeout.Token));
        }
        catch (Exception e) when (e is Win32Exception or OperationCanceledException)
        {
            // No npm, or no registry: the caller reports what to do.
        }
    }

    /// <summary>
    /// A token signed by the issuer's own key with its default claims (<c>iss</c>, <c>iat</c>, <c>nbf</c>,
    /// <c>exp</c> an hour ahead) overridden or extended by <paramref name="claims"/>; a null value removes a claim.
    /// </summary>
    public async Task<string> TokenAsync(IReadOnlyDictionary<string, object?> claims)
    {
        var response = await _http.PostAsync($"{Url}/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["claims"] = JsonSerializer.Serialize(claims),
        }));
        response.EnsureSuccessStatusCode();
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!["access_token"]!.GetValue<string>();
    }

    /// <summary>
    /// Names who the next browser sign-in (authorization code flow) signs in as: its tokens carry these claims, as if
    /// the person had signed in as that user at the identity provider.
    /// </summary>
    public async Task NextSignInAsync(IReadOnlyDictionary<string, object?> claims)
    {
        var response = await _http.PostAsync($"{Url}/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["claims"] = JsonSerializer.Serialize(claims),
            ["next_sign_in"] = "1",
        }));
        response.EnsureSuccessStatusCode();
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        if (!_node.HasExited)
        {
            _node.StandardInput.Close();
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try { await _node.WaitForExitAsync(grace.Token); }
            catch (OperationCanceledException) { _node.Kill(entireProcessTree: true); }
        }
        _node.Dispose();
    }
}
