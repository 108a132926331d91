using Microsoft.Extensions.Options;

namespace Defence.Api.Identity;

/// <summary>One product tenant (an MDO) from configuration <c>Tenants:&lt;key&gt;</c>.</summary>
public sealed class TenantOptions
{
    /// <summary>The Entra ID tenant ids (<c>tid</c> claim values) whose users belong to this MDO.</summary>
    public List<string> EntraTenantIds { get; set; } = [];
}

/// <summary>Maps the identity tenant of a token (<c>tid</c>) to the product tenant, e.g. <c>mdu</c>.</summary>
public sealed class TenantRegistry
{
    readonly Dictionary<string, string> _tenantByEntraId = new(StringComparer.OrdinalIgnoreCase);

    public TenantRegistry(IOptions<Dictionary<string, TenantOptions>> tenants)
    {
        foreach (var (key, tenant) in tenants.Value)
        foreach (var tid in tenant.EntraTenantIds)
        {
            if (!_tenantByEntraId.TryAdd(tid, key))
                throw new InvalidOperationException(
                    $"Entra tenant '{tid}' is listed under both Tenants:{_tenantByEntraId[tid]} and Tenants:{key}.");
        }
    }

    public IReadOnlyCollection<string> TenantKeys => _tenantByEntraId.Values.Distinct().ToArray();

    public string? TenantFor(string? entraTenantId) =>
        entraTenantId is not null && _tenantByEntraId.TryGetValue(entraTenantId, out var key) ? key : null;
}
