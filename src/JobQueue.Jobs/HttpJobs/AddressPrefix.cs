using System.Globalization;
using System.Net;

namespace JobQueue.HttpJobs;

/// <summary>
/// An address block in CIDR notation (<c>10.0.0.0/8</c>, <c>fc00::/7</c>), matched on the address's
/// bytes as written: an IPv6 address matches only IPv6 blocks, also when it carries an IPv4 address
/// (<c>System.Net.IPNetwork</c> treats IPv4-mapped addresses otherwise).
/// </summary>
public sealed class AddressPrefix
{
    private readonly byte[] network;
    private readonly int bits;

    private AddressPrefix(byte[] network, int bits)
    {
        this.network = network;
        this.bits = bits;
    }

    public static AddressPrefix Parse(string cidr)
    {
        var slash = cidr.IndexOf('/', StringComparison.Ordinal);
        var network = IPAddress.Parse(cidr[..slash]).GetAddressBytes();
        var bits = int.Parse(cidr[(slash + 1)..], CultureInfo.InvariantCulture);
        return bits >= 0 && bits <= network.Length * 8
            ? new AddressPrefix(network, bits)
            : throw new FormatException($"'{cidr}': the prefix length must be 0 to {network.Length * 8}");
    }

    public bool Contains(IPAddress address) => Contains(address.GetAddressBytes());

    public bool Contains(ReadOnlySpan<byte> address)
    {
        if (address.Length != network.Length)
        {
            return false;
        }

        var whole = bits / 8;
        if (!address[..whole].SequenceEqual(network.AsSpan(0, whole)))
        {
            return false;
        }

        var mask = (byte)(0xff << (8 - (bits % 8)));
        return bits % 8 == 0 || (address[whole] & mask) == (network[whole] & mask);
    }

    public override string ToString() => $"{new IPAddress(network)}/{bits}";
}
