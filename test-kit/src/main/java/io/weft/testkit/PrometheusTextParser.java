package io.weft.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Prometheus' text exposition format read by Prometheus' own parser: the official Python client's
 * {@code prometheus_client.parser}, run by a Python 3 that has it (Debian's {@code
 * python3-prometheus-client}, which {@code scripts/test-prerequisites} installs where missing).
 * Each sample comes back as a JSON line (family, type, name, labels, value).
 */
final class PrometheusTextParser {

  private static final List<String> PYTHONS = List.of("python3", "/usr/bin/python3");
  private static final String SCRIPT = script();
  private static volatile String python;

  private PrometheusTextParser() {}

  /** The samples of {@code text}, one JSON line each. */
  static List<String> parse(byte[] text) {
    try {
      Process process = new ProcessBuilder(python(), "-c", SCRIPT).start();
      CompletableFuture<String> errors = drain(process.getErrorStream());
      CompletableFuture<String> out = drain(process.getInputStream());
      try (OutputStream in = process.getOutputStream()) {
        in.write(text);
      }
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException("Prometheus' text parser did not finish in 60 s");
      }
      if (process.exitValue() != 0) {
        throw new IllegalStateException(
            "Prometheus' text parser refused the scrape (exit "
                + process.exitValue()
                + "): "
                + errors.join());
      }
      return out.join().lines().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot run Prometheus' text parser", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted parsing a scrape", e);
    }
  }

  /** The first Python 3 that has {@code prometheus_client}; an error naming the package if none. */
  private static String python() {
    String found = python;
    if (found != null) {
      return found;
    }
    for (String candidate : PYTHONS) {
      try {
        Process probe =
            new ProcessBuilder(candidate, "-c", "import prometheus_client.parser")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        if (probe.waitFor(30, TimeUnit.SECONDS) && probe.exitValue() == 0) {
          python = candidate;
          return candidate;
        }
        probe.destroyForcibly();
      } catch (IOException e) {
        // no such interpreter: the next
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("Interrupted looking for Python", e);
      }
    }
    throw new IllegalStateException(
        "No Python 3 with Prometheus' client library among "
            + PYTHONS
            + ": install Debian's python3-prometheus-client (scripts/test-prerequisites does) or"
            + " pip install prometheus-client");
  }

  private static String script() {
    try (InputStream in = PrometheusTextParser.class.getResourceAsStream("prometheus_text.py")) {
      if (in == null) {
        throw new IllegalStateException("prometheus_text.py is missing from the test kit");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static CompletableFuture<String> drain(InputStream stream) {
    return CompletableFuture.supplyAsync(
        () -> {
          try (stream) {
            return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
  }
}
