using System.Net;
using System.Net.NetworkInformation;
using JobQueue.HttpJobs;

namespace JobQueue.Tests.HttpJobs;

/// <summary>
/// Which addresses HTTP jobs may call without <c>HttpJobs:AllowPrivateNetworks</c>: global unicast only.
/// Every IANA special-purpose range is refused, in every IPv6 form that carries an IPv4 address, and
/// so are this machine's own addresses. Classification only: nothing here connects anywhere.
/// </summary>
public sealed class AddressClassificationTests
{
    public static TheoryData<string, string> Refused() => new()
    {
        // address, why
        { "0.0.0.0", "this network" },
        { "0.1.2.3", "this network" },
        { "10.0.0.1", "private" },
        { "10.255.255.255", "private" },
        { "100.64.0.1", "carrier-grade NAT" },
        { "100.127.255.254", "carrier-grade NAT" },
        { "127.0.0.1", "loopback" },
        { "127.255.255.254", "loopback" },
        { "169.254.169.254", "link-local, cloud metadata" },
        { "172.16.0.1", "private" },
        { "172.31.255.255", "private" },
        { "192.0.0.1", "IETF protocol assignments" },
        { "192.0.0.170", "NAT64 discovery" },
        { "192.0.2.1", "documentation" },
        { "192.88.99.1", "6to4 relay anycast" },
        { "192.168.1.1", "private" },
        { "198.18.0.1", "benchmarking" },
        { "198.19.255.255", "benchmarking" },
        { "198.51.100.7", "documentation" },
        { "203.0.113.9", "documentation" },
        { "224.0.0.1", "multicast" },
        { "239.255.255.250", "multicast" },
        { "240.0.0.1", "reserved" },
        { "255.255.255.255", "limited broadcast" },
        { "::", "unspecified" },
        { "::1", "loopback" },
        { "::ffff:127.0.0.1", "IPv4-mapped loopback" },
        { "::ffff:10.1.2.3", "IPv4-mapped private" },
        { "::ffff:169.254.169.254", "IPv4-mapped metadata" },
        { "::127.0.0.1", "IPv4-compatible loopback" },
        { "::10.0.0.1", "IPv4-compatible private" },
        { "::169.254.169.254", "IPv4-compatible metadata" },
        { "64:ff9b::7f00:1", "NAT64 of 127.0.0.1" },
        { "64:ff9b::a9fe:a9fe", "NAT64 of 169.254.169.254" },
        { "64:ff9b::c0a8:101", "NAT64 of 192.168.1.1" },
        { "64:ff9b:1::7f00:1", "local-use NAT64" },
        { "64:ff9b:1::808:808", "local-use NAT64, whatever it carries" },
        { "64:ff9b:1:ffff::1", "local-use NAT64" },
        { "2002:7f00:1::1", "6to4 of 127.0.0.1" },
        { "2002:a9fe:a9fe::1", "6to4 of 169.254.169.254" },
        { "2002:c0a8:101:1::1", "6to4 of 192.168.1.1" },
        { "2002:c058:6301::1", "6to4 of the relay anycast 192.88.99.1" },
        { "2001:0:4136:e378:8000:63bf:80ff:fffe", "Teredo, client 127.0.0.1 (inverted)" },
        { "2001:0:4136:e378:8000:63bf:5601:5601", "Teredo, client 169.254.169.254 (inverted)" },
        { "2001:0:a00:1:8000:63bf:f7f7:f7f7", "Teredo, server 10.0.0.1" },
        { "100::1", "discard-only" },
        { "2001:2::1", "benchmarking, in 2001::/23" },
        { "2001:10::1", "ORCHID, in 2001::/23" },
        { "2001:1ff:ffff::1", "IETF protocol assignments 2001::/23" },
        { "2001:db8::1", "documentation" },
        { "2001:db8:ffff::1", "documentation" },
        { "3fff::1", "documentation" },
        { "3fff:fff::1", "documentation" },
        { "fc00::1", "unique local" },
        { "fd12:3456:789a::1", "unique local" },
        { "fe80::1", "link-local" },
        { "fe80::1%1", "link-local with a scope" },
        { "febf::1", "link-local" },
        { "fec0::1", "site-local (deprecated)" },
        { "ff02::1", "multicast" },
        { "ff0e::1", "multicast" },
        { "5f00::1", "SRv6 SIDs, outside 2000::/3" },
        { "4000::1", "unassigned, outside 2000::/3" },
        { "::ffff:0:808:808", "IPv4-translated, not global unicast" },
    };

    public static TheoryData<string> GlobalUnicast() => new()
    {
        "8.8.8.8",
        "1.1.1.1",
        "93.184.215.14",
        "172.32.0.1",
        "100.128.0.1",
        "192.0.1.1",
        "198.20.0.1",
        "223.255.255.254",
        "2606:4700:4700::1111",
        "2001:4860:4860::8888",
        "2a00:1450:4001:80b::200e",
        "2620:4f:8000::1",
        "::ffff:8.8.8.8",
        "::8.8.8.8",
        "64:ff9b::808:808",
        "2002:808:808::1",
        // Teredo with a global server (65.54.227.120) and client (8.8.8.8 inverted: f7f7:f7f7)
        "2001:0:4136:e378:8000:63bf:f7f7:f7f7",
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public void Special_purpose_addresses_in_every_form_are_refused(string address, string why)
    {
        var ip = IPAddress.Parse(address);
        Assert.False(SpecialPurposeAddresses.IsGlobalUnicast(ip), $"{address} ({why}) was taken for global unicast");
        Assert.True(PrivateNetworks.IsPrivate(ip), $"{address} ({why}) may be called");
    }

    [Theory]
    [MemberData(nameof(GlobalUnicast))]
    public void Global_unicast_addresses_are_allowed(string address)
    {
        var ip = IPAddress.Parse(address);
        Assert.True(SpecialPurposeAddresses.IsGlobalUnicast(ip), address);
        // no test machine has these public addresses on an interface
        Assert.False(PrivateNetworks.IsPrivate(ip), address);
    }

    [Theory]
    [InlineData("::ffff:192.0.2.33", "192.0.2.33")]
    [InlineData("::192.0.2.33", "192.0.2.33")]
    [InlineData("64:ff9b::c000:221", "192.0.2.33")]
    [InlineData("2002:c000:221::1", "192.0.2.33")]
    [InlineData("2001:0:4136:e378:8000:63bf:3fff:fdd2", "65.54.227.120,192.0.2.45")]
    [InlineData("2001:db8::1", "")]
    [InlineData("192.0.2.33", "")]
    public void IPv4_addresses_are_found_in_every_IPv6_form_that_carries_one(string address, string embedded) =>
        Assert.Equal(
            embedded.Split(',', StringSplitOptions.RemoveEmptyEntries),
            SpecialPurposeAddresses.EmbeddedIPv4(IPAddress.Parse(address)).Select(a => a.ToString()));

    [Fact]
    public void This_machines_own_addresses_are_refused_in_every_form()
    {
        var own = NetworkInterface.GetAllNetworkInterfaces()
            .SelectMany(i => i.GetIPProperties().UnicastAddresses)
            .Select(u => u.Address)
            .ToList();
        Assert.NotEmpty(own);

        foreach (var address in own)
        {
            Assert.True(PrivateNetworks.IsPrivate(address), $"{address} is this machine's own");
            if (address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork)
            {
                Assert.True(PrivateNetworks.IsPrivate(address.MapToIPv6()), $"{address.MapToIPv6()} is this machine's own");
                var bytes = address.GetAddressBytes();
                var nat64 = IPAddress.Parse($"64:ff9b::{bytes[0]:x2}{bytes[1]:x2}:{bytes[2]:x2}{bytes[3]:x2}");
                Assert.True(PrivateNetworks.IsPrivate(nat64), $"{nat64} carries this machine's {address}");
            }
        }

        Assert.Contains(HostAddresses.Normalized(own[0]), HostAddresses.Current);
    }
}
