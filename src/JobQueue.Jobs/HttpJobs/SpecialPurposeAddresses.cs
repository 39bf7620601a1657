using System.Net;
using System.Net.Sockets;

namespace JobQueue.HttpJobs;

/// <summary>
/// The IANA special-purpose address registries (IPv4 and IPv6) as HTTP jobs apply them: only a global
/// unicast address may be called. IPv4: any address outside <see cref="RefusedIPv4"/>. IPv6: only
/// 2000::/3 without its special-purpose blocks (<see cref="RefusedIPv6"/>), so that ::, ::1, 100::/64,
/// fc00::/7, fe80::/10, ff00::/8 and the local-use NAT64 prefix 64:ff9b:1::/48 (where the IPv4 address
/// sits depends on the local translator's prefix length) are refused. An IPv6 address that carries
/// IPv4 addresses is judged by them, each of which must be global (<see cref="EmbeddedIPv4"/>).
/// </summary>
public static class SpecialPurposeAddresses
{
    private static readonly AddressPrefix[] RefusedIPv4 = Prefixes(
        "0.0.0.0/8", // "this network"
        "10.0.0.0/8", // private
        "100.64.0.0/10", // shared address space (carrier-grade NAT)
        "127.0.0.0/8", // loopback
        "169.254.0.0/16", // link-local, the cloud metadata endpoints among them
        "172.16.0.0/12", // private
        "192.0.0.0/24", // IETF protocol assignments
        "192.0.2.0/24", // documentation (TEST-NET-1)
        "192.88.99.0/24", // 6to4 relay anycast (deprecated)
        "192.168.0.0/16", // private
        "198.18.0.0/15", // benchmarking
        "198.51.100.0/24", // documentation (TEST-NET-2)
        "203.0.113.0/24", // documentation (TEST-NET-3)
        "224.0.0.0/4", // multicast
        "240.0.0.0/4"); // reserved, the limited broadcast 255.255.255.255 included

    private static readonly AddressPrefix GlobalUnicastIPv6 = AddressPrefix.Parse("2000::/3");

    private static readonly AddressPrefix[] RefusedIPv6 = Prefixes(
        "2001::/23", // IETF protocol assignments (Teredo, 2001::/32, is judged by the IPv4 addresses it carries)
        "2001:db8::/32", // documentation
        "3fff::/20"); // documentation

    private static readonly AddressPrefix IPv4Mapped = AddressPrefix.Parse("::ffff:0:0/96");
    private static readonly AddressPrefix IPv4Compatible = AddressPrefix.Parse("::/96");
    private static readonly AddressPrefix Nat64 = AddressPrefix.Parse("64:ff9b::/96");
    private static readonly AddressPrefix SixToFour = AddressPrefix.Parse("2002::/16");
    private static readonly AddressPrefix Teredo = AddressPrefix.Parse("2001::/32");

    public static bool IsGlobalUnicast(IPAddress address)
    {
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            return !RefusedIPv4.Any(n => n.Contains(address));
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return false;
        }

        var embedded = EmbeddedIPv4(address);
        return embedded.Count > 0
            ? embedded.All(IsGlobalUnicast)
            : GlobalUnicastIPv6.Contains(address) && !RefusedIPv6.Any(n => n.Contains(address));
    }

    /// <summary>
    /// The IPv4 addresses an IPv6 address carries: IPv4-mapped <c>::ffff:a.b.c.d</c>, IPv4-compatible
    /// <c>::a.b.c.d</c> (:: and ::1 among them), NAT64 <c>64:ff9b::a.b.c.d</c>, 6to4 <c>2002:aabb:ccdd::/48</c>,
    /// and Teredo's server (bits 32-63) and client (the last 32 bits, inverted); none for other addresses.
    /// </summary>
    public static IReadOnlyList<IPAddress> EmbeddedIPv4(IPAddress address)
    {
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return [];
        }

        var bytes = address.GetAddressBytes();
        if (IPv4Mapped.Contains(address) || IPv4Compatible.Contains(address) || Nat64.Contains(address))
        {
            return [new IPAddress(bytes.AsSpan(12, 4))];
        }

        if (SixToFour.Contains(address))
        {
            return [new IPAddress(bytes.AsSpan(2, 4))];
        }

        if (Teredo.Contains(address))
        {
            var client = bytes[12..16];
            for (var i = 0; i < client.Length; i++)
            {
                client[i] = (byte)~client[i];
            }

            return [new IPAddress(bytes.AsSpan(4, 4)), new IPAddress(client)];
        }

        return [];
    }

    private static AddressPrefix[] Prefixes(params string[] cidrs) => [.. cidrs.Select(AddressPrefix.Parse)];
}
