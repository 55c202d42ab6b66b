package io.weft.core.api;

import io.weft.schemas.common.TaskResources;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What one attempt of a task needs: CPU cores (may be fractional), memory in bytes, GPUs. Each is
 * null when the task does not say.
 *
 * @param cpu cores, above 0 and at most {@value #MAX_CPU}
 * @param memory bytes, above 0 and at most 64 TiB
 * @param gpu a count, from 0 to {@value #MAX_GPU}
 */
public record Resources(Double cpu, Long memory, Integer gpu) {

  /** Nothing declared. */
  public static final Resources NONE = new Resources(null, null, null);

  static final double MAX_CPU = 1024;
  static final long MAX_MEMORY = 64L << 40;
  static final int MAX_GPU = 64;

  private static final Pattern SIZE =
      Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(?:([kKmMgGtT])(i?))?[bB]?");

  /** Declared resources from their Avro form, as events and requests carry them (null: none). */
  public static Resources of(TaskResources avro) {
    return avro == null ? NONE : new Resources(avro.getCpu(), avro.getMemoryBytes(), avro.getGpu());
  }

  /** The Avro form, as events and requests carry it; null when nothing is declared. */
  public TaskResources toAvro() {
    return isEmpty() ? null : new TaskResources(cpu, memory, gpu);
  }

  /** Whether nothing is declared. */
  public boolean isEmpty() {
    return cpu == null && memory == null && gpu == null;
  }

  /**
   * These, with the cpu and memory left out taken from {@code defaults}; the GPU count is never
   * taken from the defaults.
   */
  public Resources orElse(Resources defaults) {
    return new Resources(
        cpu != null ? cpu : defaults.cpu(), memory != null ? memory : defaults.memory(), gpu);
  }

  /** Whether the task needs a GPU. */
  public boolean needsGpu() {
    return gpu != null && gpu > 0;
  }

  /** What is wrong with these values, each naming the field; empty if nothing. */
  public List<String> problems() {
    List<String> problems = new ArrayList<>();
    if (cpu != null && !(cpu > 0 && cpu <= MAX_CPU)) {
      problems.add("resources.cpu " + cpu + " must be above 0 and at most " + (int) MAX_CPU);
    }
    if (memory != null && !(memory > 0 && memory <= MAX_MEMORY)) {
      problems.add("resources.memory " + memory + " bytes must be above 0 and at most 64Ti");
    }
    if (gpu != null && !(gpu >= 0 && gpu <= MAX_GPU)) {
      problems.add("resources.gpu " + gpu + " must be from 0 to " + MAX_GPU);
    }
    return problems;
  }

  /**
   * A size in bytes: a number with an optional unit, decimal ({@code k M G T}: powers of 1000) or
   * binary ({@code Ki Mi Gi Ti}: powers of 1024), and an optional {@code B}: {@code 512Mi}, {@code
   * 8Gi}, {@code 2GB}, {@code 1500000}.
   *
   * @throws IllegalArgumentException if it is none of these
   */
  public static long parseSize(String text) {
    Matcher m = SIZE.matcher(text == null ? "" : text.strip());
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "'" + text + "' is not a size (bytes, or with a unit: 512Mi, 8Gi, 2GB)");
    }
    BigDecimal number = new BigDecimal(m.group(1));
    if (m.group(2) != null) {
      int power = "KMGT".indexOf(m.group(2).toUpperCase(Locale.ROOT)) + 1;
      BigDecimal base = BigDecimal.valueOf(m.group(3).isEmpty() ? 1000 : 1024);
      number = number.multiply(base.pow(power));
    }
    try {
      return number.setScale(0, RoundingMode.CEILING).longValueExact();
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException("'" + text + "' is too large a size", e);
    }
  }

  /** A size for people: {@code 8Gi}, {@code 512Mi}, or bytes. */
  public static String formatSize(long bytes) {
    String[] units = {"Ti", "Gi", "Mi", "Ki"};
    for (int i = 0; i < units.length; i++) {
      long unit = 1L << (10 * (units.length - i));
      if (bytes >= unit && bytes % unit == 0) {
        return bytes / unit + units[i];
      }
    }
    return Long.toString(bytes);
  }

  @Override
  public String toString() {
    List<String> parts = new ArrayList<>();
    if (cpu != null) {
      parts.add("cpu " + (cpu == Math.rint(cpu) ? Long.toString(cpu.longValue()) : cpu));
    }
    if (memory != null) {
      parts.add("memory " + formatSize(memory));
    }
    if (gpu != null) {
      parts.add("gpu " + gpu);
    }
    return parts.isEmpty() ? "no resources" : String.join(", ", parts);
  }
}
