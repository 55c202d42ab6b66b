package io.weft.cli;

import picocli.CommandLine.IVersionProvider;

/** The version printed by {@code weft --version}, from the jar's manifest. */
public final class WeftVersion implements IVersionProvider {

  @Override
  public String[] getVersion() {
    String version = Weft.class.getPackage().getImplementationVersion();
    return new String[] {"weft " + (version == null ? "(development build)" : version)};
  }
}
