package io.weft.core.http;

import java.util.Optional;

/**
 * Which scope a request to one of Weft's HTTP servers needs, by its method and its path
 * (percent-decoded, as the handlers see it); empty for a request anyone may make (health probes).
 * Each server declares its own rule beside its routes.
 */
@FunctionalInterface
public interface AccessRule {

  Optional<Scope> required(String method, String path);
}
