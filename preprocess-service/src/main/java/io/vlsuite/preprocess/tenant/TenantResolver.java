package io.vlsuite.preprocess.tenant;

import io.vlsuite.preprocess.config.PreprocessProperties;
import io.vlsuite.preprocess.problem.ApiException;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.stereotype.Component;

import java.util.regex.Pattern;

/**
 * The tenant of a request: the gateway authenticates the caller and passes the tenant in a header
 * ({@code X-Vlsuite-Tenant} by default); direct calls without it (standalone mode) belong to the default tenant.
 * The service is not exposed without the gateway in production, so the header is trusted.
 */
@Component
public class TenantResolver {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");

    private final PreprocessProperties.Tenancy tenancy;

    public TenantResolver(PreprocessProperties properties) {
        this.tenancy = properties.tenancy();
    }

    public String tenantOf(HttpServletRequest request) {
        String value = request.getHeader(tenancy.header());
        if (value == null || value.isBlank()) {
            return tenancy.defaultTenant();
        }
        if (!NAME.matcher(value).matches()) {
            throw new ApiException(400, "invalid_tenant", "tenant header must be 1..64 of [A-Za-z0-9_-]");
        }
        return value;
    }
}
