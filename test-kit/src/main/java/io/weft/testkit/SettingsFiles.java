package io.weft.testkit;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/** Settings as properties files: how an installation hands them to commands and child JVMs. */
public final class SettingsFiles {

  private SettingsFiles() {}

  /** Writes {@code settings} to {@code file}, creating its directory. */
  public static Path write(Path file, Map<String, ?> settings) {
    Properties props = new Properties();
    settings.forEach((k, v) -> props.setProperty(k, String.valueOf(v)));
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      try (Writer out = Files.newBufferedWriter(file)) {
        props.store(out, null);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write settings to " + file, e);
    }
    return file;
  }

  /** The settings in {@code file}. */
  public static Map<String, Object> read(Path file) {
    Properties props = new Properties();
    try (Reader in = Files.newBufferedReader(file)) {
      props.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read settings from " + file, e);
    }
    Map<String, Object> settings = new HashMap<>();
    props.forEach((k, v) -> settings.put((String) k, v));
    return settings;
  }
}
