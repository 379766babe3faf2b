package io.vlsuite.gateway.auth;

/**
 * Who a request was authenticated as.
 *
 * @param tenant the tenant id passed downstream and used for limits
 * @param name   the API key's id or the JWT subject, for logs (never the secret)
 * @param method how the request was authenticated
 */
public record Principal(String tenant, String name, Method method) {

    /** Exchange attribute holding the principal of an authenticated request. */
    public static final String ATTRIBUTE = Principal.class.getName();

    public enum Method { API_KEY, JWT }
}
