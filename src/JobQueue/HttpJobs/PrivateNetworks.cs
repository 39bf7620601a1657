using System.Net;
using System.Net.Sockets;

namespace JobQueue.HttpJobs;

/// <summary>
/// Addresses an HTTP job may not reach unless <see cref="HttpJobsOptions.AllowPrivateNetworks"/>:
/// loopback, private (10/8, 172.16/12, 192.168/16, fc00::/7), link-local (169.254/16 with the cloud
/// metadata endpoints, fe80::/10), carrier-grade NAT (100.64/10), "this network" (0/8), benchmarking
/// (198.18/15), IETF protocol assignments (192.0.0/24), multicast, reserved and unspecified; IPv4
/// addresses inside IPv6 (mapped, NAT64) are judged as IPv4. The connect callback applies the rule to
/// the addresses a host name resolves to when the connection is made, so that a public name that
/// resolves to a private address (DNS rebinding) is refused too.
/// </summary>
public static class PrivateNetworks
{
    public static bool IsPrivate(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            return IsPrivate(address.MapToIPv4());
        }

        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = address.GetAddressBytes();
            return b[0] is 0 or 10 or 127 or >= 224
                || (b[0] == 100 && b[1] is >= 64 and <= 127)
                || (b[0] == 169 && b[1] == 254)
                || (b[0] == 172 && b[1] is >= 16 and <= 31)
                || (b[0] == 192 && b[1] == 168)
                || (b[0] == 192 && b[1] == 0 && b[2] == 0)
                || (b[0] == 198 && b[1] is 18 or 19);
        }

        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.IPv6Any) || address.IsIPv6LinkLocal
            || address.IsIPv6SiteLocal || address.IsIPv6UniqueLocal || address.IsIPv6Multicast)
        {
            return true;
        }

        var bytes = address.GetAddressBytes();
        // 64:ff9b::/96 (NAT64) carries an IPv4 address in its last 4 bytes
        if (bytes[0] == 0x00 && bytes[1] == 0x64 && bytes[2] == 0xff && bytes[3] == 0x9b && bytes.AsSpan(4, 8).IndexOfAnyExcept((byte)0) < 0)
        {
            return IsPrivate(new IPAddress(bytes.AsSpan(12, 4)));
        }

        return false;
    }

    /// <summary>Whether a URL's host is, by its text alone, a private target (an IP literal or <c>localhost</c>).</summary>
    public static bool IsPrivateHost(Uri url)
    {
        var host = url.IdnHost.Trim('[', ']').TrimEnd('.');
        return url.HostNameType is UriHostNameType.IPv4 or UriHostNameType.IPv6
            ? IPAddress.TryParse(host, out var ip) && IsPrivate(ip)
            : host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// The <c>SocketsHttpHandler.ConnectCallback</c> of the HTTP jobs' client: resolves the host, keeps
    /// only the addresses the rule allows (all of them with <paramref name="allowPrivate"/>) and connects
    /// to the first that answers; <see cref="PrivateNetworkRefusedException"/> when none is allowed.
    /// </summary>
    public static Func<SocketsHttpConnectionContext, CancellationToken, ValueTask<Stream>> ConnectCallback(bool allowPrivate) =>
        async (context, cancellationToken) =>
        {
            var host = context.DnsEndPoint.Host.Trim('[', ']');
            var resolved = IPAddress.TryParse(host, out var literal)
                ? [literal]
                : await Dns.GetHostAddressesAsync(host, cancellationToken);
            var allowed = allowPrivate ? resolved : resolved.Where(a => !IsPrivate(a)).ToArray();
            if (allowed.Length == 0)
            {
                throw new PrivateNetworkRefusedException(host);
            }

            SocketException? last = null;
            foreach (var address in allowed)
            {
                var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    await socket.ConnectAsync(new IPEndPoint(address, context.DnsEndPoint.Port), cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch (SocketException e)
                {
                    socket.Dispose();
                    last = e;
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            }

            throw last!;
        };
}

/// <summary>Every address of the host is a private one and private networks are not allowed (HttpJobs:AllowPrivateNetworks).</summary>
public sealed class PrivateNetworkRefusedException(string host)
    : Exception($"{host} resolves only to loopback, private or link-local addresses, which HTTP jobs may not call (HttpJobs:AllowPrivateNetworks is off)")
{
    public string Host { get; } = host;
}
