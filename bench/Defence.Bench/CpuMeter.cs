namespace Defence.Bench;

/// <summary>
/// CPU time by party over a phase, as shares of the whole machine (all cores), from /proc; and the API's and
/// PostgreSQL's CPU time itself in seconds, for the cost per request.
/// </summary>
public sealed record CpuShare(double Api, double Postgres, double Bench, double Other, double Idle, double ApiSeconds, double PostgresSeconds)
{
    public override string ToString() =>
        $"API {Api:P0}, PostgreSQL {Postgres:P0}, bench client {Bench:P0}, other processes {Other:P0}, idle {Idle:P0}";
}

/// <summary>
/// Reads cumulative CPU ticks of the machine (/proc/stat), the API process (and its import commands), the PostgreSQL cluster
/// (postmaster, its live backends, and its reaped children through cutime/cstime) and this process.
/// "Other" is whatever else ran meanwhile: on a shared machine, other people's work.
/// </summary>
public sealed class CpuMeter(Func<int?> apiPid, Func<int?> postmasterPid)
{
    /// <summary>
    /// Whether the bench's reaped children are the API's import commands (true) or its own load generator (pgbench),
    /// whose CPU is the client's, not the API's. Keep it unchanged between <see cref="Start"/> and <see cref="Stop"/>.
    /// </summary>
    public bool ChildrenAreApi { get; set; } = true;

    sealed record Snapshot(DateTime At, long Busy, long Api, long Postgres, long Bench);

    Snapshot? _start;

    public static bool Available => File.Exists("/proc/stat");

    public void Start() => _start = Available ? Take() : null;

    public CpuShare? Stop()
    {
        if (_start is not { } start || !Available) return null;
        var end = Take();
        // All the cores' time over the phase, from the wall clock: /proc/stat's own total undercounts idle time on
        // some virtual machines, which would inflate every share.
        var total = (end.At - start.At).TotalSeconds * Environment.ProcessorCount * TicksPerSecond;
        if (total <= 0) return null;
        double Share(long a, long b) => Math.Max(0, a - b) / total;
        var api = Share(end.Api, start.Api);
        var pg = Share(end.Postgres, start.Postgres);
        var bench = Share(end.Bench, start.Bench);
        var other = Math.Max(0, Share(end.Busy, start.Busy) - api - pg - bench);
        return new CpuShare(api, pg, bench, other, Math.Max(0, 1 - api - pg - bench - other),
            Math.Max(0, end.Api - start.Api) / TicksPerSecond, Math.Max(0, end.Postgres - start.Postgres) / TicksPerSecond);
    }

    /// <summary>USER_HZ, the unit of /proc's CPU times: 100 on every Linux this runs on.</summary>
    const double TicksPerSecond = 100;

    Snapshot Take()
    {
        var cpu = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Take(8).Select(long.Parse).ToArray();
        var at = DateTime.UtcNow;
        var busy = cpu.Sum() - cpu[3] - cpu[4];
        var api = apiPid() is { } a ? Ticks(a, withChildren: false) : 0;
        long pg = 0;
        if (postmasterPid() is { } pm)
        {
            pg = Ticks(pm, withChildren: true);
            foreach (var child in ChildrenOf(pm)) pg += Ticks(child, withChildren: false);
        }
        var bench = Ticks(Environment.ProcessId, withChildren: false);
        // The bench's reaped children are the API's own import commands (the API process itself is reaped between
        // phases), or pgbench, a client like the bench itself.
        var children = Ticks(Environment.ProcessId, withChildren: true) - bench;
        if (ChildrenAreApi) api += children;
        else bench += children;
        return new Snapshot(at, busy, api, pg, bench);
    }

    /// <summary>utime + stime (+ cutime + cstime: children already reaped), in clock ticks; 0 when the process is gone.</summary>
    static long Ticks(int pid, bool withChildren)
    {
        var fields = StatFields(pid);
        if (fields is null) return 0;
        // Fields after "pid (comm)": [0] state, [1] ppid, ... [11] utime, [12] stime, [13] cutime, [14] cstime.
        var ticks = long.Parse(fields[11]) + long.Parse(fields[12]);
        if (withChildren) ticks += long.Parse(fields[13]) + long.Parse(fields[14]);
        return ticks;
    }

    static IEnumerable<int> ChildrenOf(int parent)
    {
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
            if (StatFields(pid) is { } fields && int.TryParse(fields[1], out var ppid) && ppid == parent) yield return pid;
        }
    }

    static string[]? StatFields(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
    }
}
