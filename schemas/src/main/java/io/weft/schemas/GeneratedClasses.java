package io.weft.schemas;

import org.apache.avro.util.ClassSecurityValidator;

/**
 * Weft's generated Avro classes ({@code io.weft.schemas.*}).
 *
 * <p>Avro 1.12 refuses to load classes from packages it has not been told to trust, even to fill a
 * builder's enum default. Weft's serdes and entry points call {@link #trust()}; code that builds
 * Weft's records before touching any of them calls it first, or starts the JVM with {@code
 * -Dorg.apache.avro.SERIALIZABLE_PACKAGES=io.weft.schemas}.
 */
public final class GeneratedClasses {

  /** The package prefix of every generated class. */
  public static final String PACKAGE_PREFIX = "io.weft.schemas.";

  private static boolean trusted;

  private GeneratedClasses() {}

  /** Adds Weft's generated packages to Avro's trusted classes. Idempotent and thread-safe. */
  public static synchronized void trust() {
    if (trusted) {
      return;
    }
    ClassSecurityValidator.setGlobal(
        ClassSecurityValidator.composite(
            ClassSecurityValidator.getGlobal(), type -> type.getName().startsWith(PACKAGE_PREFIX)));
    trusted = true;
  }
}
