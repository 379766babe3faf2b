package io.vlsuite.preprocess.media;

import io.vlsuite.preprocess.net.AddressPolicy;

import okhttp3.Call;
import okhttp3.ConnectionPool;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.InetAddress;
import java.net.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Fetches client-supplied http(s) URLs without letting them reach internal services (SSRF):
 * <ol>
 *   <li>the URL is parsed once, with OkHttp's own parser, and only that parsed object is used afterwards;</li>
 *   <li>the host is resolved once and every address is checked by {@link AddressPolicy};</li>
 *   <li>the connection goes to exactly those checked addresses (a per-hop {@link okhttp3.Dns} that answers with
 *       them), so a second DNS answer (rebinding) cannot redirect it; no proxy is used;</li>
 *   <li>redirects are followed by hand, each hop checked again, at most {@code maxRedirects};</li>
 *   <li>the body is read up to the byte cap (a larger {@code Content-Length} is refused before reading, a body
 *       without one is cut off at the cap); {@code Accept-Encoding: identity} keeps compression bombs out;</li>
 *   <li>one deadline covers DNS, all hops, headers and body.</li>
 * </ol>
 */
final class GuardedFetcher {

    private static final ExecutorService RESOLVER = Executors.newVirtualThreadPerTaskExecutor();

    private final AddressPolicy policy;
    private final int maxRedirects;
    private final String userAgent;
    private final OkHttpClient base;

    GuardedFetcher(AddressPolicy policy, int maxRedirects, Duration connectTimeout, String userAgent) {
        this.policy = policy;
        this.maxRedirects = maxRedirects;
        this.userAgent = userAgent;
        this.base = new OkHttpClient.Builder()
                .followRedirects(false)
                .followSslRedirects(false)
                .retryOnConnectionFailure(false)
                .proxy(Proxy.NO_PROXY)
                .connectTimeout(connectTimeout)
                .connectionPool(new ConnectionPool(4, 30, TimeUnit.SECONDS))
                .build();
    }

    /** The body of {@code url} (after redirects), at most {@code maxBytes} long, within {@code timeout}. */
    Fetched fetch(String url, long maxBytes, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        HttpUrl current = parse(url);
        for (int hop = 0; ; hop++) {
            List<InetAddress> addresses = checkedAddresses(current, deadline, timeout);
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                throw timeout(timeout);
            }
            OkHttpClient pinned = base.newBuilder()
                    .dns(hostname -> addresses)
                    .callTimeout(Duration.ofNanos(remaining))
                    .readTimeout(Duration.ofNanos(remaining))
                    .build();
            Request request = new Request.Builder().url(current)
                    .header("User-Agent", userAgent)
                    .header("Accept-Encoding", "identity")
                    .header("Accept", "image/*, video/*;q=0.9, */*;q=0.1")
                    .get().build();
            Call call = pinned.newCall(request);
            try (Response response = call.execute()) {
                if (response.isRedirect()) {
                    if (hop >= maxRedirects) {
                        throw new MediaIntakeException("too_many_redirects", 400,
                                "the media URL redirected more than " + maxRedirects + " times");
                    }
                    current = redirectTarget(current, response);
                    continue;
                }
                if (!response.isSuccessful()) {
                    throw new MediaIntakeException("media_fetch_failed", 400,
                            "the media URL answered HTTP " + response.code());
                }
                return new Fetched(readCapped(response.body(), maxBytes), response.header("Content-Type"));
            } catch (InterruptedIOException e) {
                throw timeout(timeout);
            } catch (IOException e) {
                throw new MediaIntakeException("media_fetch_failed", 502,
                        "the media URL could not be fetched: " + e.getClass().getSimpleName(), e);
            }
        }
    }

    /** Accepts only http and https; anything else (file, ftp, gopher, jar, ...) never reaches a parser that acts. */
    static HttpUrl parse(String url) {
        int colon = url.indexOf(':');
        String scheme = colon < 0 ? "" : url.substring(0, colon).toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new MediaIntakeException("media_url_scheme_not_allowed", 400,
                    "media URLs must be http, https or data URLs");
        }
        HttpUrl parsed = HttpUrl.parse(url);
        if (parsed == null) {
            throw new MediaIntakeException("invalid_media_url", 400, "the media URL is malformed");
        }
        if (!parsed.username().isEmpty() || !parsed.password().isEmpty()) {
            throw new MediaIntakeException("invalid_media_url", 400, "media URLs must not carry credentials");
        }
        return parsed;
    }

    /** Resolves on a virtual thread so that a hanging DNS server counts against the fetch deadline too. */
    private List<InetAddress> checkedAddresses(HttpUrl url, long deadline, Duration timeout) {
        InetAddress[] resolved;
        Future<InetAddress[]> lookup = RESOLVER.submit(() -> InetAddress.getAllByName(url.host()));
        try {
            resolved = lookup.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            lookup.cancel(true);
            throw timeout(timeout);
        } catch (InterruptedException e) {
            lookup.cancel(true);
            Thread.currentThread().interrupt();
            throw timeout(timeout);
        } catch (ExecutionException e) {
            throw new MediaIntakeException("media_fetch_failed", 400, "the media URL's host does not resolve");
        }
        for (InetAddress address : resolved) {
            String refusal = policy.refusal(address);
            if (refusal != null) {
                // The message names the category, not the address: no internal topology in client answers.
                throw new MediaIntakeException("media_url_blocked", 400,
                        "the media URL resolves to a " + refusal + " address, which is not allowed");
            }
        }
        return List.of(resolved);
    }

    private static HttpUrl redirectTarget(HttpUrl from, Response response) {
        String location = response.header("Location");
        if (location == null || location.isBlank()) {
            throw new MediaIntakeException("media_fetch_failed", 400, "the media URL redirected without a Location");
        }
        HttpUrl next = from.resolve(location);
        if (next == null) {
            // resolve() answers null for unsupported schemes (file:, gopher:, ...) and malformed locations.
            throw new MediaIntakeException("media_url_scheme_not_allowed", 400,
                    "the media URL redirected to a location that is not http(s)");
        }
        return parse(next.toString());
    }

    private static byte[] readCapped(ResponseBody body, long maxBytes) throws IOException {
        long declared = body.contentLength();
        if (declared > maxBytes) {
            throw tooLarge(maxBytes);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(declared > 0 ? (int) declared : 64 * 1024);
        byte[] buffer = new byte[64 * 1024];
        long total = 0;
        try (InputStream in = body.byteStream()) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                total += n;
                if (total > maxBytes) {
                    throw tooLarge(maxBytes);
                }
                out.write(buffer, 0, n);
            }
        }
        return out.toByteArray();
    }

    private static MediaIntakeException tooLarge(long maxBytes) {
        return new MediaIntakeException("media_too_large", 413, "the media is larger than " + maxBytes + " bytes");
    }

    private static MediaIntakeException timeout(Duration timeout) {
        return new MediaIntakeException("media_fetch_timeout", 504,
                "fetching the media URL took longer than " + timeout.toMillis() + " ms");
    }

    /** A fetched body and its declared type (informational only: the content is sniffed). */
    record Fetched(byte[] bytes, String contentType) {
    }
}
