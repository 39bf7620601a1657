using System.Net;
using System.Net.Sockets;

namespace JobQueue.HttpJobs;

/// <summary>
/// Addresses an HTTP job may not reach unless <see cref="HttpJobsOptions.AllowPrivateNetworks"/>: any
/// that is not global unicast (<see cref="SpecialPurposeAddresses"/>: loopback, private, link-local with
/// the cloud metadata endpoints, carrier-grade NAT, documentation, benchmarking, multicast, reserved,
/// unspecified; IPv4 inside IPv6 judged as IPv4), and this machine's own (<see cref="HostAddresses"/>).
/// The connect callback applies the rule to every address a host name resolves to, just before it
/// connects to it, so that a public name that resolves to a private address (DNS rebinding) is refused too.
/// </summary>
public static class PrivateNetworks
{
    public static bool IsPrivate(IPAddress address) =>
        !SpecialPurposeAddresses.IsGlobalUnicast(address)
        || HostAddresses.Contains(address)
        || SpecialPurposeAddresses.EmbeddedIPv4(address).Any(HostAddresses.Contains);

    /// <summary>Whether a URL's host is, by its text alone, a private target (an IP literal or <c>localhost</c>).</summary>
    public static bool IsPrivateHost(Uri url)
    {
        var host = url.IdnHost.Trim('[', ']').TrimEnd('.');
        return url.HostNameType is UriHostNameType.IPv4 or UriHostNameType.IPv6
            ? IPAddress.TryParse(host, out var ip) && IsPrivate(ip)
            : host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// The <c>SocketsHttpHandler.ConnectCallback</c> of the HTTP jobs' client: resolves the host and, in
    /// order, checks each address (unless <paramref name="allowPrivate"/>) and connects to it, skipping the
    /// refused ones; the first connection made is used. <see cref="PrivateNetworkRefusedException"/> when
    /// every address is refused.
    /// </summary>
    public static Func<SocketsHttpConnectionContext, CancellationToken, ValueTask<Stream>> ConnectCallback(bool allowPrivate) =>
        async (context, cancellationToken) =>
        {
            var host = context.DnsEndPoint.Host.Trim('[', ']');
            var resolved = IPAddress.TryParse(host, out var literal)
                ? [literal]
                : await Dns.GetHostAddressesAsync(host, cancellationToken);
            SocketException? last = null;
            foreach (var address in resolved)
            {
                if (!allowPrivate && IsPrivate(address))
                {
                    continue;
                }

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

            throw last ?? (Exception)new PrivateNetworkRefusedException(host);
        };
}

/// <summary>Every address of the host is one HTTP jobs may not call and private networks are not allowed (HttpJobs:AllowPrivateNetworks).</summary>
public sealed class PrivateNetworkRefusedException(string host)
    : Exception($"{host} resolves only to addresses HTTP jobs may not call: loopback, private, link-local, other special-purpose or this machine's own (HttpJobs:AllowPrivateNetworks is off)")
{
    public string Host { get; } = host;
}
