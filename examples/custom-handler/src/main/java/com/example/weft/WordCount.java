package com.example.weft;

import io.weft.workers.api.TaskContext;
import io.weft.workers.api.TaskFailedException;
import io.weft.workers.api.TaskHandler;
import io.weft.workers.api.TaskOutputs;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Task type {@code word-count}: counts the words of the param {@code text} and returns the total
 * and the {@code top} most frequent ones. A handler serves one task type; the worker calls {@link
 * #execute} once per attempt, from several threads when its concurrency is above 1, so it keeps no
 * mutable state. It is listed in {@code META-INF/services/io.weft.workers.api.TaskHandler}, which
 * is how the worker finds it.
 */
public final class WordCount implements TaskHandler {

  @Override
  public String taskType() {
    return "word-count";
  }

  @Override
  public String description() {
    return "counts the words of a text";
  }

  @Override
  public TaskOutputs execute(TaskContext context) {
    String text = context.param("text", String.class);
    int top = context.params().containsKey("top") ? context.param("top", Integer.class) : 3;
    if (top < 1) {
      // not retryable: another attempt with the same params would fail the same way
      throw new TaskFailedException("param 'top' must be at least 1, got " + top, false);
    }
    Map<String, Integer> counts = new TreeMap<>();
    for (String word : text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}']+")) {
      if (!word.isEmpty()) {
        counts.merge(word, 1, Integer::sum);
      }
    }
    Map<String, Integer> frequent = new LinkedHashMap<>();
    counts.entrySet().stream()
        .sorted(Map.Entry.<String, Integer>comparingByValue(Comparator.reverseOrder()))
        .limit(top)
        .forEach(e -> frequent.put(e.getKey(), e.getValue()));
    int words = counts.values().stream().mapToInt(Integer::intValue).sum();
    return TaskOutputs.empty()
        .with("words", words)
        .with("top", frequent)
        .withMetric("distinct", counts.size());
  }
}
