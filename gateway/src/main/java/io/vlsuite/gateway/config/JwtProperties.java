package io.vlsuite.gateway.config;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * OAuth2 JWT bearer tokens ({@code vlsuite.gateway.jwt.*}); accepted only when {@code jwk-set-uri} is set.
 *
 * @param jwkSetUri       where the issuer publishes its signing keys (JWKS)
 * @param issuer          required value of {@code iss}
 * @param audiences       accepted values of {@code aud}; a token must name at least one
 * @param tenantClaim     the claim that holds the tenant id
 * @param algorithms      accepted JWS algorithms
 * @param jwkSetCacheTtl  how long fetched keys are trusted before they are fetched again
 * @param jwkSetFetchTimeout connect and read timeout of one JWKS fetch
 * @param clockSkew       tolerance for {@code exp} and {@code nbf}
 */
@Validated
@ConfigurationProperties("vlsuite.gateway.jwt")
public record JwtProperties(
        URI jwkSetUri,
        String issuer,
        @DefaultValue List<String> audiences,
        @DefaultValue("tenant") @NotBlank String tenantClaim,
        @DefaultValue("RS256") @NotEmpty List<String> algorithms,
        @DefaultValue("5m") @NotNull Duration jwkSetCacheTtl,
        @DefaultValue("2s") @NotNull Duration jwkSetFetchTimeout,
        @DefaultValue("60s") @NotNull Duration clockSkew) {

    public boolean enabled() {
        return jwkSetUri != null;
    }

    /** An issuer and an audience are what keep tokens minted for other services out; both are mandatory. */
    @AssertTrue(message = "vlsuite.gateway.jwt.issuer and vlsuite.gateway.jwt.audiences are required when jwk-set-uri is set")
    public boolean isIssuerAndAudienceSetWhenEnabled() {
        return !enabled() || (issuer != null && !issuer.isBlank() && !audiences.isEmpty());
    }
}
