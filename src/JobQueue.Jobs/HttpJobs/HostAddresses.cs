using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace JobQueue.HttpJobs;

/// <summary>
/// The addresses of this machine's own network interfaces (all of them, up or down), read with
/// <see cref="NetworkInterface.GetAllNetworkInterfaces"/> and kept for <see cref="RefreshInterval"/>:
/// an HTTP job may not call the host it runs on, even by a public address. Where the interfaces
/// cannot be listed the set is empty (the special-purpose ranges still apply).
/// </summary>
public static class HostAddresses
{
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(30);

    private static Snapshot? current;

    /// <summary>This machine's addresses, as <see cref="Normalized"/> gives them.</summary>
    public static IReadOnlySet<IPAddress> Current
    {
        get
        {
            var snapshot = Volatile.Read(ref current);
            if (snapshot is null || Environment.TickCount64 - snapshot.ReadAt > (long)RefreshInterval.TotalMilliseconds)
            {
                snapshot = new Snapshot(Environment.TickCount64, Read());
                Volatile.Write(ref current, snapshot);
            }

            return snapshot.Addresses;
        }
    }

    public static bool Contains(IPAddress address) => Current.Contains(Normalized(address));

    /// <summary>An IPv4-mapped address as IPv4, an IPv6 address without its scope.</summary>
    public static IPAddress Normalized(IPAddress address) =>
        address.IsIPv4MappedToIPv6 ? address.MapToIPv4()
        : address.AddressFamily == AddressFamily.InterNetworkV6 ? new IPAddress(address.GetAddressBytes())
        : address;

    private static HashSet<IPAddress> Read()
    {
        try
        {
            return NetworkInterface.GetAllNetworkInterfaces()
                .SelectMany(i => i.GetIPProperties().UnicastAddresses)
                .Select(u => Normalized(u.Address))
                .ToHashSet();
        }
        catch (Exception e) when (e is NetworkInformationException or PlatformNotSupportedException)
        {
            return [];
        }
    }

    private sealed record Snapshot(long ReadAt, IReadOnlySet<IPAddress> Addresses);
}
