package io.weft.cli;

import java.time.Duration;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads the command's duration options in Weft's one grammar ({@link io.weft.core.api.Durations}):
 * {@code 500ms}, {@code 90s}, {@code 30m} or {@code 2h}.
 */
final class Durations implements ITypeConverter<Duration> {

  @Override
  public Duration convert(String value) {
    return io.weft.core.api.Durations.parse(value)
        .orElseThrow(
            () ->
                new TypeConversionException(
                    "'" + value + "' is not a duration such as 500ms, 90s, 30m or 2h"));
  }

  /** {@code d} as the shortest of these forms that is exact, e.g. {@code 30s}, {@code 1500ms}. */
  static String format(Duration d) {
    return io.weft.core.api.Durations.format(d);
  }
}
