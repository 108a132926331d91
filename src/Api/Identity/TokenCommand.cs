using JasperFx.CommandLine;

namespace Defence.Api.Identity;

public sealed class TokenInput : NetCoreInput
{
    [Description("App role(s) of the user: Member, Adviser, Analyst, TenantAdmin, in any letter case (repeat the flag for several)")]
    public List<string> RoleFlag { get; set; } = [];

    [Description("One token per role, each for a user of its own, printed as shell assignments: eval \"$(... token --all-roles)\" sets MEMBER, ADVISER, ANALYST and TENANTADMIN")]
    public bool AllRolesFlag { get; set; }

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

        Guid? userId = null;
        if (input.UserFlag is not null)
        {
            if (!Guid.TryParse(input.UserFlag, out var given))
            {
                Console.Error.WriteLine($"--user must be a GUID (the user's oid), e.g. {Guid.NewGuid()}.");
                return Task.FromResult(false);
            }
            userId = given;
        }

        var roles = input.RoleFlag.Select(r => (Given: r, Role: Roles.Canonical(r))).ToList();
        if (roles.FirstOrDefault(r => r.Role is null) is { Given: { } unknown })
        {
            Console.Error.WriteLine($"'{unknown}' is not an app role; the roles are {string.Join(", ", Roles.All)}.");
            return Task.FromResult(false);
        }

        var tokens = host.Services.GetRequiredService<DevelopmentTokens>();
        if (input.AllRolesFlag)
        {
            Console.Error.WriteLine($"# tenant {tenant!.Key} (tid {tid}), one user per role; valid 8 hours");
            foreach (var role in Roles.All)
            {
                var user = Guid.NewGuid();
                Console.WriteLine($"{role.ToUpperInvariant()}={tokens.Create(tid, user, [role], input.NameFlag)}");
                Console.WriteLine($"{role.ToUpperInvariant()}_ID={user}");
            }
            return Task.FromResult(true);
        }

        var id = userId ?? Guid.NewGuid();
        string[] chosen = roles.Count > 0 ? roles.Select(r => r.Role!).Distinct().ToArray() : [Roles.Member];
        Console.Error.WriteLine($"# tenant {tenant!.Key} (tid {tid}), user {id}, roles {string.Join(", ", chosen)}; valid 8 hours");
        Console.WriteLine(tokens.Create(tid, id, chosen, input.NameFlag));
        return Task.FromResult(true);
    }
}
