using Defence.Api;
using Defence.Api.Hosting;
using JasperFx;
using Spectre.Console;

if (LivenessProbe.IsRequested(args)) return await LivenessProbe.RunAsync(args);

// JasperFx writes its banners (the command-assembly search) and progress with Spectre.Console: on stderr, a command's
// stdout carries only its result, so a token can be captured with $(...).
AnsiConsole.Console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });

var builder = WebApplication.CreateBuilder(args);
await builder.StartLocalPostgresWhenConfiguredAsync(args);
builder.AddDefence();

var app = builder.Build();
app.UseDefence();

// Without arguments the API just runs; the operator commands (help, migrate, import, token, ...) go through JasperFx.
if (args.Length == 0)
{
    try
    {
        await app.StartAsync();
    }
    catch (IOException e) when (e.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException)
    {
        // The services that did start (the projection daemon, Wolverine's agents) stop before the process ends, rather
        // than failing on a disposed database connection while it exits.
        using (var stopping = new CancellationTokenSource(TimeSpan.FromSeconds(10)))
            await app.StopAsync(stopping.Token);
        await app.DisposeAsync();
        Console.Error.WriteLine($"{e.Message} Another process (perhaps another copy of the API) listens there: stop it, or " +
                                "give this one a free port with ASPNETCORE_HTTP_PORTS=<port> (or --urls http://localhost:<port>).");
        return 1;
    }
    await app.WaitForShutdownAsync();
    await app.DisposeAsync();
    return 0;
}
return await app.RunJasperFxCommands(args);

/// <summary>The API's entry point; public so tests can host it.</summary>
public partial class Program;
