package io.vlsuite.preprocess.webhook;

import io.vlsuite.preprocess.config.PreprocessProperties;
import io.vlsuite.preprocess.problem.ApiException;
import io.vlsuite.preprocess.problem.ErrorCodes;
import org.springframework.stereotype.Component;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;

/**
 * Keeps webhook deliveries away from internal addresses (SSRF): only {@code http(s)} URLs without user info whose
 * host resolves exclusively to public addresses. Loopback only when configured (the standalone mode); private,
 * ULA and CGNAT addresses only when private targets are explicitly allowed; link-local (the cloud metadata service),
 * multicast and unspecified addresses never. Checked when the job is submitted and again right before each delivery.
 *
 * <p>Written here because the media pipeline's URL guard did not exist yet; the two should become one.
 */
@Component
public class WebhookTargetGuard {

    private final boolean allowLoopback;
    private final boolean allowPrivate;

    public WebhookTargetGuard(PreprocessProperties properties) {
        this.allowLoopback = properties.webhooks().allowLoopback();
        this.allowPrivate = properties.webhooks().allowPrivate();
    }

    /** @throws ApiException 400 {@code webhook_url_forbidden} */
    public URI check(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw forbidden("the webhook is not a valid URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw forbidden("the webhook must be an http or https URL");
        }
        if (uri.getRawUserInfo() != null || uri.getHost() == null || uri.getHost().isEmpty()) {
            throw forbidden("the webhook URL must have a host and no user info");
        }
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(uri.getHost());
        } catch (UnknownHostException e) {
            throw forbidden("the webhook host does not resolve");
        }
        for (InetAddress address : addresses) {
            if (!allowed(address)) {
                throw forbidden("the webhook host resolves to a non-public address");
            }
        }
        return uri;
    }

    boolean allowed(InetAddress address) {
        if (address.isLoopbackAddress()) {
            return allowLoopback;
        }
        if (address.isAnyLocalAddress() || address.isMulticastAddress() || isLinkLocal(address)) {
            return false;   // link-local holds the cloud metadata service: never a webhook target
        }
        return allowPrivate || !isPrivate(address);
    }

    static boolean isLinkLocal(InetAddress address) {
        if (address.isLinkLocalAddress()) {
            return true;
        }
        byte[] b = address.getAddress();
        if (b.length == 16 && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
            return (b[12] & 0xff) == 169 && (b[13] & 0xff) == 254;   // IPv4-mapped 169.254.0.0/16
        }
        return false;
    }

    /** RFC 1918, link-local (incl. 169.254.169.254), CGNAT 100.64/10, IPv6 ULA fc00::/7, IPv4-mapped forms. */
    static boolean isPrivate(InetAddress address) {
        if (address.isSiteLocalAddress() || address.isLinkLocalAddress()) {
            return true;
        }
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address) {
            int first = b[0] & 0xff;
            int second = b[1] & 0xff;
            return first == 0 || first == 100 && second >= 64 && second < 128 || first == 198 && (second == 18 || second == 19)
                    || first >= 240;
        }
        if (address instanceof Inet6Address) {
            if ((b[0] & 0xfe) == 0xfc) {
                return true;
            }
            boolean mapped = true;
            for (int i = 0; i < 10; i++) {
                mapped &= b[i] == 0;
            }
            if (mapped && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
                try {
                    InetAddress v4 = InetAddress.getByAddress(java.util.Arrays.copyOfRange(b, 12, 16));
                    return v4.isLoopbackAddress() || isPrivate(v4);
                } catch (UnknownHostException e) {
                    return true;
                }
            }
        }
        return false;
    }

    private static ApiException forbidden(String detail) {
        return new ApiException(400, ErrorCodes.WEBHOOK_URL_FORBIDDEN, detail);
    }
}
