package io.vlsuite.gateway.auth;

import com.nimbusds.jwt.JWT;
import io.vlsuite.gateway.problem.Problems;
import io.vlsuite.gateway.routing.RouteKinds;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

import java.util.Optional;

/**
 * Authenticates every routed request that is not on a public route, by API key ({@code Authorization: Bearer
 * <key>} as OpenAI clients send it, or {@code X-API-Key}) or by an OAuth2 JWT in {@code Authorization: Bearer}.
 * <p>
 * The tenant header is removed from every incoming request first, public routes included, and then set from the
 * credentials only: a client cannot choose its tenant. The credentials themselves are not forwarded; the
 * services behind the gateway trust {@value #TENANT_HEADER} instead.
 */
public class AuthenticationFilter implements GlobalFilter, Ordered {

    public static final String TENANT_HEADER = "X-Vlsuite-Tenant";
    public static final String API_KEY_HEADER = "X-API-Key";
    public static final int ORDER = -300;

    private final ApiKeyStore apiKeys;
    private final JwtAuthenticator jwt; // null when JWTs are not accepted

    public AuthenticationFilter(ApiKeyStore apiKeys, JwtAuthenticator jwt) {
        this.apiKeys = apiKeys;
        this.jwt = jwt;
    }

    @Override
    public int getOrder() {
        return ORDER;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        HttpHeaders incoming = exchange.getRequest().getHeaders();
        if (RouteKinds.isPublic(exchange)) {
            return chain.filter(withHeaders(exchange, null));
        }
        String token;
        try {
            token = credential(incoming);
        } catch (RuntimeException e) {
            return Mono.error(e);
        }
        return principal(token).flatMap(principal -> {
            exchange.getAttributes().put(Principal.ATTRIBUTE, principal);
            return chain.filter(withHeaders(exchange, principal.tenant()));
        });
    }

    private Mono<Principal> principal(String token) {
        Optional<JWT> parsed = JwtAuthenticator.parseIfJwt(token);
        if (parsed.isPresent()) {
            return jwt != null ? jwt.authenticate(parsed.get())
                    : Mono.error(Problems.invalidToken("JWT bearer tokens are not accepted by this gateway"));
        }
        return Mono.fromCallable(() -> apiKeys.authenticate(token));
    }

    /** The bearer token, else the X-API-Key value; 401 {@code unauthorized} when there is neither. */
    private static String credential(HttpHeaders headers) {
        String authorization = headers.getFirst(HttpHeaders.AUTHORIZATION);
        if (authorization != null) {
            if (authorization.regionMatches(true, 0, "Bearer ", 0, 7) && !authorization.substring(7).isBlank()) {
                return authorization.substring(7).trim();
            }
            throw Problems.unauthorized("The Authorization header must use the Bearer scheme.");
        }
        String apiKey = headers.getFirst(API_KEY_HEADER);
        if (apiKey != null && !apiKey.isBlank()) {
            return apiKey.trim();
        }
        throw Problems.unauthorized("Send an API key as 'Authorization: Bearer <key>' or 'X-API-Key: <key>', or a JWT bearer token.");
    }

    private static ServerWebExchange withHeaders(ServerWebExchange exchange, String tenant) {
        ServerHttpRequest request = exchange.getRequest().mutate().headers(h -> {
            h.remove(TENANT_HEADER);
            if (tenant != null) {
                h.remove(HttpHeaders.AUTHORIZATION);
                h.remove(API_KEY_HEADER);
                h.set(TENANT_HEADER, tenant);
            }
        }).build();
        return exchange.mutate().request(request).build();
    }
}
