using System.Text;
using Defence.Api.Auditing;
using Defence.Api.Imports;
using Defence.Api.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Defence.Api.Tests.Hostile;

/// <summary>An import commits every row or none, wherever it stops: here it is stopped while its rows are being written.</summary>
[Collection(ApiCollection.Name)]
public sealed class ImportAtomicityTests(ApiFixture api)
{
    const int Rows = 12_000;

    /// <summary>Cancels the import the moment it reports rows written (every 10,000), i.e. in the middle of its transaction.</summary>
    sealed class CancelWhileWriting(CancellationTokenSource cancel) : IProgress<ImportProgress>
    {
        public long RowsWrittenWhenCancelled { get; private set; }

        public void Report(ImportProgress value)
        {
            if (value.Phase != ImportPhase.Importing || cancel.IsCancellationRequested) return;
            RowsWrittenWhenCancelled = value.Rows;
            cancel.Cancel();
        }
    }

    [Fact]
    public async Task an_import_stopped_while_writing_leaves_nothing_behind_and_a_second_run_imports_every_row()
    {
        var importer = api.Factory.Services.GetRequiredService<CaseImporter>();
        // A tenant of this run's own, so its 12,000 cases never count in another test's figures on a reused database.
        var tenant = ApiFixture.NewTenant().Key;
        var admin = Actor.Operator(tenant, Guid.NewGuid());
        var batch = Guid.NewGuid().ToString("N");
        var csv = new StringBuilder("case_ref,occurred_on,specialty,channels,concern,summary\n");
        for (var i = 0; i < Rows; i++) csv.Append($"atomic-{batch}-{i},2003-04-05,general-practice,letter,amorous-advances,Letters.\n");
        var file = Encoding.UTF8.GetBytes(csv.ToString());

        using var cancel = new CancellationTokenSource();
        var progress = new CancelWhileWriting(cancel);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            importer.ImportAsync(() => new MemoryStream(file), admin, progress, cancel.Token));

        Assert.True(progress.RowsWrittenWhenCancelled > 0, "The import was not stopped while writing.");
        Assert.Equal(0, await api.EventCount(tenant, admin.UserId));

        var again = await importer.ImportAsync(() => new MemoryStream(file), admin, null, CancellationToken.None);
        Assert.Equal((Rows, 0), (again.Imported, again.Skipped));
        Assert.Equal(Rows, await api.EventCount(tenant, admin.UserId));
    }
}
