package io.weft.core.internals.definition;

import java.util.Collection;
import java.util.Comparator;
import java.util.Optional;

/** "Did you mean ...?" for misspelt keys and ids. */
final class Suggestions {

  /**
   * The longest word or candidate considered, as long as the longest valid name: the distance takes
   * time in the product of the lengths, and a longer word is no misspelt name.
   */
  private static final int MAX_LENGTH = 100;

  private Suggestions() {}

  /** The candidate closest to {@code word}, if it is within two edits or extends it. */
  static Optional<String> closest(String word, Collection<String> candidates) {
    if (word.length() > MAX_LENGTH) {
      return Optional.empty();
    }
    String w = word.toLowerCase();
    return candidates.stream()
        .filter(c -> c.length() <= MAX_LENGTH && !c.equalsIgnoreCase(word))
        .filter(
            c ->
                (Math.abs(c.length() - w.length()) <= 2 && distance(w, c.toLowerCase()) <= 2)
                    || (w.length() >= 3 && c.toLowerCase().startsWith(w)))
        .min(Comparator.comparingInt(c -> distance(w, c.toLowerCase())));
  }

  /** Levenshtein distance. */
  static int distance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        current[j] =
            Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }
}
