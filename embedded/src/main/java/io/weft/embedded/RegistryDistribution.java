package io.weft.embedded;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * Finds the Apicurio Registry runner jar: the {@code weft.registry.jar} system property if set,
 * otherwise the distribution archive that Maven resolved while building Weft, unpacked once into a
 * home directory.
 */
public final class RegistryDistribution {

  /** System property naming a runner jar to use as it is. */
  public static final String JAR_PROPERTY = "weft.registry.jar";

  /** System property naming the distribution archive (tar.gz) to unpack. */
  public static final String ARCHIVE_PROPERTY = "weft.registry.archive";

  private static final String BUILD_PROPERTIES = "/weft-embedded.properties";
  private static final String COMPLETE_MARKER = ".unpacked";

  private RegistryDistribution() {}

  /** The registry version this build of Weft was made with. */
  public static String version() {
    return buildProperties().getProperty("registry.version");
  }

  /**
   * The runner jar, unpacking the distribution archive into {@code home} if it is not there yet.
   *
   * @param home directory that keeps unpacked distributions, one folder per version
   */
  public static Path runnerJar(Path home) {
    String explicit = System.getProperty(JAR_PROPERTY);
    if (explicit != null && !explicit.isBlank()) {
      Path jar = Path.of(explicit);
      if (!Files.isRegularFile(jar)) {
        throw new EmbeddedException(JAR_PROPERTY + "=" + explicit + " is not a file");
      }
      return jar;
    }
    Properties build = buildProperties();
    Path archive =
        Path.of(System.getProperty(ARCHIVE_PROPERTY, build.getProperty("registry.archive")));
    if (!Files.isRegularFile(archive)) {
      throw new EmbeddedException(
          "Schema registry distribution not found at "
              + archive
              + "; build Weft with Maven (it resolves io.apicurio:apicurio-registry-app:"
              + version()
              + ":tar.gz:all) or set -D"
              + JAR_PROPERTY
              + "=<runner jar>");
    }
    Path target = home.resolve("apicurio-registry-" + version());
    try {
      if (!Files.exists(target.resolve(COMPLETE_MARKER))) {
        unpack(archive, target);
      }
      try (Stream<Path> files = Files.list(target)) {
        return files
            .filter(f -> f.getFileName().toString().endsWith("-runner.jar"))
            .findFirst()
            .orElseThrow(
                () ->
                    new EmbeddedException(
                        "No *-runner.jar in " + archive + " (unpacked to " + target + ")"));
      }
    } catch (IOException e) {
      throw new EmbeddedException("Cannot unpack " + archive + " into " + target, e);
    }
  }

  private static synchronized void unpack(Path archive, Path target) throws IOException {
    Path parent = Files.createDirectories(target.toAbsolutePath().getParent());
    Path staging = Files.createTempDirectory(parent, "unpacking-");
    try (InputStream in = new BufferedInputStream(Files.newInputStream(archive));
        TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(in))) {
      TarArchiveEntry entry;
      while ((entry = tar.getNextEntry()) != null) {
        Path out = staging.resolve(entry.getName()).normalize();
        if (!out.startsWith(staging)) {
          throw new IOException("Archive entry escapes the target directory: " + entry.getName());
        }
        if (entry.isDirectory()) {
          Files.createDirectories(out);
        } else {
          Files.createDirectories(out.getParent());
          Files.copy(tar, out, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
    Files.createFile(staging.resolve(COMPLETE_MARKER));
    Directories.deleteRecursively(target);
    try {
      Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      if (!Files.exists(target.resolve(COMPLETE_MARKER))) {
        throw e;
      }
      // another process unpacked the same version meanwhile
      Directories.deleteRecursively(staging);
    }
  }

  private static Properties buildProperties() {
    Properties props = new Properties();
    try (InputStream in = RegistryDistribution.class.getResourceAsStream(BUILD_PROPERTIES)) {
      if (in == null) {
        throw new EmbeddedException(BUILD_PROPERTIES + " is missing from the classpath");
      }
      props.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return props;
  }
}
