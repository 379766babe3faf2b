package io.vlsuite.preprocess.webhook;

import io.vlsuite.preprocess.net.AddressPolicy;

import io.vlsuite.preprocess.config.PreprocessProperties;
import io.vlsuite.preprocess.problem.ApiException;
import io.vlsuite.preprocess.problem.ErrorCodes;
import org.springframework.stereotype.Component;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;

/**
 * Keeps webhook deliveries away from internal addresses (SSRF): only {@code http(s)} URLs without user info whose
 * host resolves exclusively to public addresses. Loopback only when configured (the standalone mode); private,
 * ULA and CGNAT addresses only when private targets are explicitly allowed; link-local (the cloud metadata service)
 * never. Checked when the job is submitted and again right before each delivery.
 *
 * <p>Which addresses count as internal is decided by {@link AddressPolicy}, shared with the media fetcher.
 */
@Component
public class WebhookTargetGuard {

    /** The same address rules as the media fetcher's: one list of blocked ranges for the whole service. */
    private final AddressPolicy addresses;

    public WebhookTargetGuard(PreprocessProperties properties) {
        this.addresses = new AddressPolicy(properties.webhooks().allowLoopback(), properties.webhooks().allowPrivate(),
                java.util.List.of());
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
        return addresses.refusal(address) == null;
    }

    private static ApiException forbidden(String detail) {
        return new ApiException(400, ErrorCodes.WEBHOOK_URL_FORBIDDEN, detail);
    }
}
