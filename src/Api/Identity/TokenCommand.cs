using JasperFx.CommandLine;

namespace Defence.Api.Identity;

public sealed class TokenInput : NetCoreInput
{
    [Description("App role(s) of the user: Member, Adviser, Analyst, TenantAdmin (repeat the flag for several)")]
    public List<string> RoleFlag { get; set; } = [];

    [Description("Tenant key from the Tenants configuration, e.g. mdu (default: the first configured)")]
    public string? TenantFlag { get; set; }

    [Description("The user's id (oid); default: a new GUID")]
    public string? UserFlag { get; set; }

    [Description("Display name (name claim)")]
    public string? NameFlag { get; set; }
}

[Description("Prints a development bearer token signed with the configured development key", Name = "token")]
public sealed class TokenCommand : JasperFxAsyncCommand<TokenInput>
{
    public TokenCommand()
    {
        Usage("Print a token for a user with the given roles");
    }

    public override Task<bool> Execute(TokenInput input)
    {
        using var host = input.BuildHost();
        var configuration = host.Services.GetRequiredService<IConfiguration>();
        if (IdentitySetup.ChooseTokenValidation(configuration) == TokenValidation.Entra)
        {
            Console.Error.WriteLine(
                $"The API validates Entra ID tokens ({IdentitySetup.EntraSection}:ClientId is set), so it would refuse a development token. " +
                "Get a token from Entra ID for the app registration instead (see README, Identity).");
            return Task.FromResult(false);
        }

        var tenants = configuration.GetSection("Tenants").GetChildren().ToArray();
        var tenant = input.TenantFlag is null ? tenants.FirstOrDefault() : tenants.FirstOrDefault(t => t.Key == input.TenantFlag);
        var tid = tenant?.GetSection("EntraTenantIds").GetChildren().FirstOrDefault()?.Value;
        if (tid is null)
        {
            Console.Error.WriteLine($"No tenant '{input.TenantFlag}' with an Entra tenant id in the Tenants configuration.");
            return Task.FromResult(false);
        }

        var userId = input.UserFlag is null ? Guid.NewGuid() : Guid.Parse(input.UserFlag);
        var roles = input.RoleFlag.Count > 0 ? input.RoleFlag : [Roles.Member];
        var token = host.Services.GetRequiredService<DevelopmentTokens>().Create(tid, userId, roles, input.NameFlag);

        Console.Error.WriteLine($"# tenant {tenant!.Key} (tid {tid}), user {userId}, roles {string.Join(", ", roles)}; valid 8 hours");
        Console.WriteLine(token);
        return Task.FromResult(true);
    }
}
