using Defence.Api.Errors;
using Defence.Api.Auditing;
using Defence.Api.Identity;
using Defence.Api.Limits;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Defence.Api.Imports;

public static class ImportCasesEndpoint
{
    /// <summary>Import historical cases from CSV (UTF-8, header row; see docs/http-api.md, "Historical import").</summary>
    /// <remarks>
    /// All or nothing: one bad row imports nothing and the answer lists every bad row with its line.
    /// Rows whose <c>case_ref</c> the tenant already has are skipped, so importing a file twice imports
    /// nothing the second time. The body is spooled to a temporary file, never held in memory.
    /// </remarks>
    [WolverinePost("/api/imports/cases"), AllowRoles(Roles.TenantAdmin), Tags("Imports")]
    [Consumes("text/csv")]
    [EnableRateLimiting(AbuseLimits.Imports), ImportBodyLimit]
    [ProducesResponseType<ImportResult>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status415UnsupportedMediaType, "application/problem+json")]
    public static async Task<IResult> Post(HttpContext http, CaseImporter importer)
    {
        if (http.Request.ContentType is not { } contentType || !contentType.StartsWith("text/csv", StringComparison.OrdinalIgnoreCase))
            return Problems.UnsupportedMediaType("text/csv");

        var spool = Path.Combine(Path.GetTempPath(), $"defence-import-{Guid.NewGuid():N}.csv");
        try
        {
            await using (var file = File.Create(spool))
                await http.Request.Body.CopyToAsync(file, http.RequestAborted);

            var result = await importer.ImportAsync(() => File.OpenRead(spool), Actor.Of(http), null, http.RequestAborted);
            return Results.Ok(result);
        }
        finally
        {
            File.Delete(spool);
        }
    }
}
