package io.weft.schemas.serde;

import org.apache.avro.util.ClassSecurityValidator;

/**
 * Lets Avro instantiate Weft's generated classes: Avro 1.12 refuses to load classes from packages
 * it has not been told to trust.
 */
final class TrustedPackages {

  private static final String GENERATED_PACKAGE = "io.weft.schemas.";
  private static boolean installed;

  private TrustedPackages() {}

  static synchronized void install() {
    if (installed) {
      return;
    }
    ClassSecurityValidator.setGlobal(
        ClassSecurityValidator.composite(
            ClassSecurityValidator.getGlobal(),
            type -> type.getName().startsWith(GENERATED_PACKAGE)));
    installed = true;
  }
}
