package io.vlsuite.preprocess.net;

import java.net.InetAddress;
import java.util.Arrays;
import java.util.List;

/**
 * Decides whether the service may connect to an address (media URLs, webhook targets): the SSRF guard's
 * address rules, in one place. Java's own predicates are incomplete
 * ({@code isSiteLocalAddress} misses CGNAT, ULA and more), so the blocked ranges are listed here explicitly:
 * everything that is not globally routable unicast, with IPv4 addresses embedded in IPv6 (mapped, compatible,
 * NAT64, 6to4) judged by their IPv4 part.
 *
 * <p>Link-local (which holds the cloud metadata service at 169.254.169.254) is never opened by {@code allowPrivate};
 * only an explicit CIDR in the allow-list reaches it.
 */
public final class AddressPolicy {

    /** Why an address is refused; {@code null} from {@link #refusal} means allowed. */
    public enum Category { LOOPBACK, LINK_LOCAL, PRIVATE, PUBLIC }

    private static final List<Cidr> LOOPBACK = cidrs("127.0.0.0/8", "::1/128");
    private static final List<Cidr> LINK_LOCAL = cidrs("169.254.0.0/16", "fe80::/10");
    private static final List<Cidr> PRIVATE = cidrs(
            "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "172.16.0.0/12", "192.0.0.0/24", "192.0.2.0/24",
            "192.88.99.0/24", "192.168.0.0/16", "198.18.0.0/15", "198.51.100.0/24", "203.0.113.0/24",
            "224.0.0.0/4", "240.0.0.0/4",
            "::/128", "fc00::/7", "fec0::/10", "ff00::/8", "2001:db8::/32", "2001::/32", "100::/64");

    private final boolean allowLoopback;
    private final boolean allowPrivate;
    private final List<Cidr> allowList;

    public AddressPolicy(boolean allowLoopback, boolean allowPrivate, List<String> allowCidrs) {
        this.allowLoopback = allowLoopback;
        this.allowPrivate = allowPrivate;
        this.allowList = allowCidrs.stream().map(Cidr::parse).toList();
    }

    public static Category categorise(InetAddress address) {
        byte[] bytes = normalise(address.getAddress());
        if (matches(LOOPBACK, bytes)) {
            return Category.LOOPBACK;
        }
        if (matches(LINK_LOCAL, bytes)) {
            return Category.LINK_LOCAL;
        }
        if (matches(PRIVATE, bytes) || bytes.length == 4 && (bytes[0] & 0xFF) == 255) {
            return Category.PRIVATE;
        }
        return Category.PUBLIC;
    }

    /** A reason to refuse {@code address}, or {@code null} when the fetcher may connect to it. */
    public String refusal(InetAddress address) {
        byte[] bytes = normalise(address.getAddress());
        if (matches(allowList, bytes)) {
            return null;
        }
        return switch (categorise(address)) {
            case PUBLIC -> null;
            case LOOPBACK -> allowLoopback ? null : "loopback";
            case PRIVATE -> allowPrivate ? null : "private or reserved";
            case LINK_LOCAL -> "link-local (cloud metadata)";
        };
    }

    /**
     * The IPv4 address inside IPv4-mapped ({@code ::ffff:a.b.c.d}), IPv4-compatible ({@code ::a.b.c.d}), NAT64
     * ({@code 64:ff9b::a.b.c.d}) and 6to4 ({@code 2002:AABB:CCDD::}) forms; other addresses unchanged. Without this,
     * {@code ::ffff:127.0.0.1} would pass an IPv6 check and still reach loopback.
     */
    static byte[] normalise(byte[] a) {
        if (a.length != 16) {
            return a;
        }
        boolean zeros80 = allZero(a, 0, 10);
        if (zeros80 && (a[10] & 0xFF) == 0xFF && (a[11] & 0xFF) == 0xFF) {
            return Arrays.copyOfRange(a, 12, 16);
        }
        if (zeros80 && a[10] == 0 && a[11] == 0 && !allZero(a, 12, 14)) {
            return Arrays.copyOfRange(a, 12, 16);
        }
        if ((a[0] & 0xFF) == 0x00 && (a[1] & 0xFF) == 0x64 && (a[2] & 0xFF) == 0xFF && (a[3] & 0xFF) == 0x9B
                && allZero(a, 4, 12)) {
            return Arrays.copyOfRange(a, 12, 16);
        }
        if ((a[0] & 0xFF) == 0x20 && (a[1] & 0xFF) == 0x02) {
            return Arrays.copyOfRange(a, 2, 6);
        }
        return a;
    }

    private static boolean allZero(byte[] a, int from, int to) {
        for (int i = from; i < to; i++) {
            if (a[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean matches(List<Cidr> blocks, byte[] address) {
        for (Cidr c : blocks) {
            if (c.contains(address)) {
                return true;
            }
        }
        return false;
    }

    private static List<Cidr> cidrs(String... blocks) {
        return Arrays.stream(blocks).map(Cidr::parse).toList();
    }
}
