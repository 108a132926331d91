using Defence.Api;
using Defence.Api.Hosting;
using JasperFx;

if (LivenessProbe.IsRequested(args)) return await LivenessProbe.RunAsync(args);

var builder = WebApplication.CreateBuilder(args);
await builder.StartLocalPostgresWhenConfiguredAsync(args);
builder.AddDefence();

var app = builder.Build();
app.UseDefence();

return await app.RunJasperFxCommands(args);

/// <summary>The API's entry point; public so tests can host it.</summary>
public partial class Program;
