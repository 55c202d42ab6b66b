package io.weft.workers.internals;

import java.util.Base64;
import java.util.BitSet;
import java.util.NavigableSet;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The metadata of a committed offset: which offsets above it are finished already (their results
 * committed), so that a new owner of the partition skips them.
 *
 * <p>Format: empty when none is; otherwise {@code weft1:<committed offset>:<bits>}, where {@code
 * <bits>} is the base64 of a little-endian bitset ({@link BitSet#toByteArray}) whose bit {@code i}
 * stands for offset {@code committed + 1 + i}. The committed offset is repeated so that metadata
 * left beside an offset that someone else moved (a reset) is recognised as stale and ignored. At
 * most {@link #MAX_SPAN} offsets above the committed one can be recorded, which keeps the string
 * under Kafka's default {@code offset.metadata.max.bytes} of 4096.
 */
final class OffsetGaps {

  /** How far above the committed offset a finished offset may be: 3000 bytes of bits. */
  static final int MAX_SPAN = 24_000;

  /** The longest metadata string: prefix, a long, a colon and 4000 base64 characters. */
  static final int MAX_LENGTH = 4030;

  private static final String PREFIX = "weft1:";

  private OffsetGaps() {}

  /**
   * The metadata of {@code committed}, recording {@code finished}.
   *
   * @throws IllegalArgumentException if a finished offset is not above {@code committed} or more
   *     than {@link #MAX_SPAN} above it
   */
  static String encode(long committed, SortedSet<Long> finished) {
    if (finished.isEmpty()) {
      return "";
    }
    long lowest = finished.first();
    long highest = finished.last();
    if (lowest <= committed || highest - committed > MAX_SPAN) {
      throw new IllegalArgumentException(
          "Finished offsets "
              + lowest
              + ".."
              + highest
              + " must lie in ("
              + committed
              + ", "
              + (committed + MAX_SPAN)
              + "]");
    }
    BitSet bits = new BitSet();
    for (long offset : finished) {
      bits.set((int) (offset - committed - 1));
    }
    return PREFIX
        + committed
        + ":"
        + Base64.getEncoder().withoutPadding().encodeToString(bits.toByteArray());
  }

  /**
   * The finished offsets recorded in {@code metadata} of offset {@code committed}; none if it is
   * empty, null, or recorded for another offset (stale).
   *
   * @throws IllegalArgumentException if {@code metadata} is not in this format
   */
  static NavigableSet<Long> decode(long committed, String metadata) {
    NavigableSet<Long> finished = new TreeSet<>();
    if (metadata == null || metadata.isEmpty()) {
      return finished;
    }
    int colon = metadata.indexOf(':', PREFIX.length());
    if (!metadata.startsWith(PREFIX) || colon < 0 || metadata.length() > MAX_LENGTH) {
      throw new IllegalArgumentException("Not Weft's offset metadata: " + abbreviate(metadata));
    }
    long base;
    BitSet bits;
    try {
      base = Long.parseLong(metadata.substring(PREFIX.length(), colon));
      bits = BitSet.valueOf(Base64.getDecoder().decode(metadata.substring(colon + 1)));
    } catch (IllegalArgumentException e) { // NumberFormatException too
      throw new IllegalArgumentException("Malformed offset metadata: " + abbreviate(metadata), e);
    }
    if (base != committed) {
      return finished;
    }
    for (int i = bits.nextSetBit(0); i >= 0; i = bits.nextSetBit(i + 1)) {
      finished.add(committed + 1 + i);
    }
    return finished;
  }

  private static String abbreviate(String metadata) {
    return metadata.length() <= 40 ? metadata : metadata.substring(0, 40) + "...";
  }
}
