package io.vlsuite.gateway.auth;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import io.vlsuite.gateway.config.JwtProperties;
import io.vlsuite.gateway.config.Tenants;
import io.vlsuite.gateway.problem.Problems;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.net.MalformedURLException;
import java.text.ParseException;
import java.time.Duration;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Verifies OAuth2 JWT bearer tokens with nimbus-jose-jwt: signature against the issuer's JWKS (fetched, cached
 * for {@code jwk-set-cache-ttl}, refetched at most every 30 s when a token names an unknown key id), the accepted
 * algorithms, {@code iss}, {@code aud}, {@code exp}/{@code nbf} and the tenant claim.
 * <p>
 * Spring Security's resource-server support was not used: its Boot starter would switch on security
 * auto-configuration in the servlet services that share this JVM in standalone mode.
 */
public class JwtAuthenticator {

    private final JwtProperties properties;
    private final DefaultJWTProcessor<SecurityContext> processor;

    public JwtAuthenticator(JwtProperties properties) {
        this.properties = properties;
        int timeoutMs = Math.toIntExact(properties.jwkSetFetchTimeout().toMillis());
        JWKSource<SecurityContext> keys;
        try {
            keys = JWKSourceBuilder.<SecurityContext>create(properties.jwkSetUri().toURL(),
                            new DefaultResourceRetriever(timeoutMs, timeoutMs, 512 * 1024))
                    .cache(properties.jwkSetCacheTtl().toMillis(), properties.jwkSetFetchTimeout().toMillis() * 2)
                    .rateLimited(Duration.ofSeconds(30).toMillis())
                    .retrying(false)
                    .build();
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException("vlsuite.gateway.jwt.jwk-set-uri is not a URL: " + properties.jwkSetUri(), e);
        }
        Set<JWSAlgorithm> algorithms = new HashSet<>();
        properties.algorithms().forEach(a -> algorithms.add(JWSAlgorithm.parse(a)));

        processor = new DefaultJWTProcessor<>();
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(algorithms, keys));
        var verifier = new DefaultJWTClaimsVerifier<SecurityContext>(
                new HashSet<>(properties.audiences()),
                new JWTClaimsSet.Builder().issuer(properties.issuer()).build(),
                Set.of("exp", properties.tenantClaim()),
                null);
        verifier.setMaxClockSkew(Math.toIntExact(properties.clockSkew().toSeconds()));
        processor.setJWTClaimsSetVerifier(verifier);
    }

    /** A JWS compact serialization: three dot-separated parts that parse as a JWT (anything else is an API key). */
    public static Optional<JWT> parseIfJwt(String token) {
        if (token.chars().filter(c -> c == '.').count() != 2) {
            return Optional.empty();
        }
        try {
            return Optional.of(JWTParser.parse(token));
        } catch (ParseException e) {
            return Optional.empty();
        }
    }

    /**
     * Verifies a token; 401 {@code invalid_token} when it is not acceptable, 503 when the keys cannot be fetched.
     * Runs on a bounded elastic thread because a JWKS fetch blocks.
     */
    public Mono<Principal> authenticate(JWT jwt) {
        if (!(jwt instanceof SignedJWT signed)) {
            return Mono.error(Problems.invalidToken("only signed JWTs are accepted"));
        }
        return Mono.fromCallable(() -> verify(signed)).subscribeOn(Schedulers.boundedElastic());
    }

    private Principal verify(SignedJWT jwt) {
        JWTClaimsSet claims;
        try {
            claims = processor.process(jwt, null);
        } catch (KeySourceException e) {
            throw Problems.authenticationUnavailable(Duration.ofSeconds(5));
        } catch (BadJWTException e) {
            throw Problems.invalidToken(describe(e));
        } catch (BadJOSEException e) {
            throw Problems.invalidToken("signature not verified: unknown key or algorithm");
        } catch (com.nimbusds.jose.JOSEException e) {
            throw Problems.invalidToken("signature not verified");
        }
        Object tenant = claims.getClaim(properties.tenantClaim());
        if (!(tenant instanceof String t) || !Tenants.isValid(t)) {
            throw Problems.invalidToken("claim '" + properties.tenantClaim() + "' is not a valid tenant id");
        }
        String subject = claims.getSubject() != null ? claims.getSubject() : "jwt";
        return new Principal(t, subject, Principal.Method.JWT);
    }

    /** Nimbus' claim messages are short and carry no secrets; normalise the common ones. */
    private static String describe(BadJWTException e) {
        String message = e.getMessage() == null ? "" : e.getMessage();
        if (message.contains("xpired")) {
            return "token expired";
        }
        if (message.contains("audience")) {
            return "audience not accepted";
        }
        if (message.contains("iss")) {
            return "issuer not accepted";
        }
        if (message.contains("before use time")) {
            return "token not yet valid";
        }
        if (message.contains("missing required claims")) {
            return "token is missing required claims";
        }
        return "token claims not accepted";
    }
}
