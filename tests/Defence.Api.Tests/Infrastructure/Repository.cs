namespace Defence.Api.Tests.Infrastructure;

/// <summary>Files of the repository the tests run from (the folder holding Defence.sln).</summary>
public static class Repository
{
    public static string Root { get; } = Find();

    static string Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            if (File.Exists(Path.Combine(directory.FullName, "Defence.sln")))
                return directory.FullName;
        throw new InvalidOperationException($"Cannot find the repository (Defence.sln) above {AppContext.BaseDirectory}.");
    }
}
