using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Defence.Api.Tests.Infrastructure;

/// <summary>
/// A TCP relay in front of PostgreSQL, so a test can take the database out of reach of one API and bring it back
/// (<see cref="Cut"/>, <see cref="Restore"/>) while the server itself, shared with other tests, keeps running.
/// </summary>
public sealed class TcpProxy : IDisposable
{
    readonly string _targetHost;
    readonly int _targetPort;
    readonly ConcurrentDictionary<TcpClient, byte> _open = new();
    TcpListener? _listener;

    public TcpProxy(string targetHost, int targetPort)
    {
        (_targetHost, _targetPort) = (targetHost, targetPort);
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        Port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        Restore();
    }

    public int Port { get; }

    /// <summary>Refuses new connections and drops every open one, as an outage would.</summary>
    public void Cut()
    {
        _listener?.Stop();
        _listener = null;
        foreach (var client in _open.Keys) client.Dispose();
        _open.Clear();
    }

    public void Restore()
    {
        var listener = new TcpListener(IPAddress.Loopback, Port);
        listener.Start();
        _listener = listener;
        _ = AcceptAsync(listener);
    }

    async Task AcceptAsync(TcpListener listener)
    {
        while (true)
        {
            TcpClient client;
            try { client = await listener.AcceptTcpClientAsync(); }
            catch (Exception e) when (e is SocketException or ObjectDisposedException or InvalidOperationException) { return; }
            _ = RelayAsync(client);
        }
    }

    async Task RelayAsync(TcpClient client)
    {
        using var upstream = new TcpClient();
        _open[client] = 0;
        _open[upstream] = 0;
        try
        {
            await upstream.ConnectAsync(_targetHost, _targetPort);
            var toServer = client.GetStream().CopyToAsync(upstream.GetStream());
            var toClient = upstream.GetStream().CopyToAsync(client.GetStream());
            await Task.WhenAny(toServer, toClient);
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException) { }
        finally
        {
            _open.TryRemove(client, out _);
            _open.TryRemove(upstream, out _);
            client.Dispose();
        }
    }

    public void Dispose() => Cut();
}
