package io.vlsuite.preprocess.net;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** An address block such as {@code 10.0.0.0/8} or {@code fc00::/7}; parsed from literals only (never resolved). */
public record Cidr(byte[] network, int prefixLength) {

    public static Cidr parse(String text) {
        String s = text.strip();
        int slash = s.indexOf('/');
        String address = slash < 0 ? s : s.substring(0, slash);
        if (!looksLikeLiteral(address)) {
            throw new IllegalArgumentException("not an IP address block: " + text);
        }
        byte[] bytes;
        try {
            bytes = InetAddress.getByName(address).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP address block: " + text, e);
        }
        int bits = bytes.length * 8;
        int prefix = slash < 0 ? bits : Integer.parseInt(s.substring(slash + 1));
        if (prefix < 0 || prefix > bits) {
            throw new IllegalArgumentException("prefix length out of range in " + text);
        }
        return new Cidr(bytes, prefix);
    }

    /** True when {@code address} (already normalised, see {@link AddressPolicy#normalise}) lies in this block. */
    public boolean contains(byte[] address) {
        if (address.length != network.length) {
            return false;
        }
        int full = prefixLength / 8;
        for (int i = 0; i < full; i++) {
            if (address[i] != network[i]) {
                return false;
            }
        }
        int rest = prefixLength % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xFF << (8 - rest)) & 0xFF;
        return (address[full] & mask) == (network[full] & mask);
    }

    /** Only IPv4 dotted quads and IPv6 literals: a host name here would make a configuration value resolve DNS. */
    private static boolean looksLikeLiteral(String address) {
        return address.contains(":") || address.matches("\\d{1,3}(\\.\\d{1,3}){3}");
    }
}
