package io.weft.core.http;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;

/**
 * The settings of Weft's HTTP APIs, declared once and added to each component's configuration: the
 * same keys configure whichever HTTP server a component runs (the coordinator's query API and web
 * UI, a worker's metrics server, the inference service), and whichever client calls the query API
 * ({@code WeftClient}, the CLI, a coordinator forwarding to another instance). All of it is off by
 * default: plain HTTP, no authentication.
 *
 * <ul>
 *   <li>{@code weft.http.tls.keystore.*}: the server's key and certificate, which turn on HTTPS;
 *   <li>{@code weft.http.auth.tokens.file}: the bearer tokens the server accepts ({@link
 *       TokenStore}), which turn on authentication;
 *   <li>{@code weft.http.tls.truststore.*}: the certificates a client trusts (the JDK's own when
 *       unset);
 *   <li>{@code weft.query.token} or {@code weft.query.token.file}: the bearer token a client sends.
 * </ul>
 */
public final class HttpSettings {

  public static final String TLS_KEYSTORE_LOCATION_CONFIG = "weft.http.tls.keystore.location";
  public static final String TLS_KEYSTORE_PASSWORD_CONFIG = "weft.http.tls.keystore.password";
  public static final String TLS_KEYSTORE_TYPE_CONFIG = "weft.http.tls.keystore.type";
  public static final String TLS_KEY_PASSWORD_CONFIG = "weft.http.tls.key.password";
  public static final String AUTH_TOKENS_FILE_CONFIG = "weft.http.auth.tokens.file";

  public static final String TLS_TRUSTSTORE_LOCATION_CONFIG = "weft.http.tls.truststore.location";
  public static final String TLS_TRUSTSTORE_PASSWORD_CONFIG = "weft.http.tls.truststore.password";
  public static final String TLS_TRUSTSTORE_TYPE_CONFIG = "weft.http.tls.truststore.type";

  public static final String OIDC_ISSUER_CONFIG = "weft.http.auth.oidc.issuer";
  public static final String OIDC_JWKS_URL_CONFIG = "weft.http.auth.oidc.jwks.url";
  public static final String OIDC_AUDIENCE_CONFIG = "weft.http.auth.oidc.audience";
  public static final String OIDC_READ_SCOPE_CONFIG = "weft.http.auth.oidc.read.scope";
  public static final String OIDC_WRITE_SCOPE_CONFIG = "weft.http.auth.oidc.write.scope";
  public static final String QUERY_TOKEN_CONFIG = "weft.query.token";
  public static final String QUERY_TOKEN_FILE_CONFIG = "weft.query.token.file";

  private static final String STORE_TYPES = "PKCS12 or JKS";

  private HttpSettings() {}

  /** Adds the settings of a component's HTTP server to {@code definition} and returns it. */
  public static ConfigDef defineServer(ConfigDef definition) {
    return definition
        .define(
            TLS_KEYSTORE_LOCATION_CONFIG,
            Type.STRING,
            null,
            Importance.MEDIUM,
            "Key store (a file) with the private key and certificate chain of this component's"
                + " HTTP server: set, the server speaks HTTPS only (TLS 1.3 or 1.2); unset, plain"
                + " HTTP. The certificate must name the host clients use (weft.query.host for the"
                + " coordinator, whose instances also call each other by it).")
        .define(
            TLS_KEYSTORE_PASSWORD_CONFIG,
            Type.PASSWORD,
            null,
            Importance.MEDIUM,
            "Password of the key store; required with " + TLS_KEYSTORE_LOCATION_CONFIG + ".")
        .define(
            TLS_KEYSTORE_TYPE_CONFIG,
            Type.STRING,
            "PKCS12",
            ConfigDef.CaseInsensitiveValidString.in("PKCS12", "JKS"),
            Importance.LOW,
            "Format of the key store: " + STORE_TYPES + ".")
        .define(
            TLS_KEY_PASSWORD_CONFIG,
            Type.PASSWORD,
            null,
            Importance.LOW,
            "Password of the private key in the key store, if it differs from the store's.")
        .define(
            AUTH_TOKENS_FILE_CONFIG,
            Type.STRING,
            null,
            Importance.MEDIUM,
            "File of the bearer tokens this component's HTTP server accepts, one a line: NAME"
                + " SCOPES TOKEN, the scopes read and/or write, the token as itself or as"
                + " sha256:<hex> of it (docs/security.md). Set, every request but the health"
                + " probes and the web UI's pages needs a token with the scope its endpoint needs (401 without a valid"
                + " token, 403 without the scope); unset, no authentication. The file is read"
                + " again when it changes, within a second: tokens rotate without a restart.")
        .define(
            OIDC_ISSUER_CONFIG,
            Type.STRING,
            null,
            Importance.MEDIUM,
            "OpenID Connect issuer whose JWTs this component's HTTP server accepts as bearer"
                + " tokens (its iss, exactly): signed by one of the issuer's keys, not expired,"
                + " for "
                + OIDC_AUDIENCE_CONFIG
                + " if set, holding the scopes named by "
                + OIDC_READ_SCOPE_CONFIG
                + " and "
                + OIDC_WRITE_SCOPE_CONFIG
                + " in their scope (or scp) claim. Set, requests need a token as with "
                + AUTH_TOKENS_FILE_CONFIG
                + ", which may be set too (either kind of token is accepted); unset, no JWTs.")
        .define(
            OIDC_JWKS_URL_CONFIG,
            Type.STRING,
            null,
            Importance.LOW,
            "URL of the issuer's keys (a JWK set), fetched and cached, fetched again for a key it"
                + " does not know; unset, the jwks_uri of the issuer's discovery document"
                + " (<issuer>/.well-known/openid-configuration), read at start.")
        .define(
            OIDC_AUDIENCE_CONFIG,
            Type.STRING,
            null,
            Importance.LOW,
            "The audience a JWT must name in its aud claim; unset, any.")
        .define(
            OIDC_READ_SCOPE_CONFIG,
            Type.STRING,
            "weft:read",
            Importance.LOW,
            "The JWT scope that holds Weft's read scope.")
        .define(
            OIDC_WRITE_SCOPE_CONFIG,
            Type.STRING,
            "weft:write",
            Importance.LOW,
            "The JWT scope that holds Weft's write scope.");
  }

  /** Adds the settings of a client's trust in HTTPS servers to {@code definition}. */
  public static ConfigDef defineTrust(ConfigDef definition) {
    return definition
        .define(
            TLS_TRUSTSTORE_LOCATION_CONFIG,
            Type.STRING,
            null,
            Importance.MEDIUM,
            "Trust store (a file) with the certificates, or the authority's, that HTTPS query"
                + " APIs are checked against (the coordinator's, by clients and by other"
                + " coordinator instances); unset, the JDK's trusted authorities.")
        .define(
            TLS_TRUSTSTORE_PASSWORD_CONFIG,
            Type.PASSWORD,
            null,
            Importance.LOW,
            "Password of the trust store, if it has one.")
        .define(
            TLS_TRUSTSTORE_TYPE_CONFIG,
            Type.STRING,
            "PKCS12",
            ConfigDef.CaseInsensitiveValidString.in("PKCS12", "JKS"),
            Importance.LOW,
            "Format of the trust store: " + STORE_TYPES + ".");
  }

  /** Adds the settings of a client of the query API (trust and token) to {@code definition}. */
  public static ConfigDef defineClient(ConfigDef definition) {
    return defineTrust(definition)
        .define(
            QUERY_TOKEN_CONFIG,
            Type.PASSWORD,
            null,
            Importance.MEDIUM,
            "Bearer token sent to the coordinator's query API (Authorization: Bearer), when it"
                + " asks for one (weft.http.auth.tokens.file). Prefer "
                + QUERY_TOKEN_FILE_CONFIG
                + " or the environment variable WEFT_QUERY_TOKEN of the CLI: a token in a"
                + " properties file is as secret as that file.")
        .define(
            QUERY_TOKEN_FILE_CONFIG,
            Type.STRING,
            null,
            Importance.MEDIUM,
            "File holding the bearer token sent to the query API (its first line), read on"
                + " every request, so that a rotated token is used at once. Not with "
                + QUERY_TOKEN_CONFIG
                + ".");
  }
}
