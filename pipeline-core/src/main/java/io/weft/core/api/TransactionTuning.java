package io.weft.core.api;

import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * Producer settings that make a Kafka transaction cost milliseconds rather than a tenth of a
 * second, applied to every transactional producer Weft creates (the workers' and the
 * coordinator's); settings given by the user ({@code producer.*}, {@code streams.producer.*}) win.
 *
 * <p>Why: a transaction's commit returns once the coordinator has the outcome, while the broker
 * still writes the markers. The next transaction's first write (or its {@code AddPartitions}) meets
 * those markers in progress, gets a retriable {@code CONCURRENT_TRANSACTIONS} error and backs off
 * for {@code retry.backoff.ms}: 100 ms by default. Measured on the embedded Kafka 4.4 broker
 * (begin, one record, {@code sendOffsetsToTransaction}, commit, back to back): p50 110 ms with the
 * defaults, single-digit milliseconds with a 2 ms back-off growing to at most 10 ms. The {@code raw
 * Kafka} section of the benchmark harness measures both in every run.
 */
public final class TransactionTuning {

  /** The back-off before retrying a request, in ms (the producer's default is 100). */
  public static final int RETRY_BACKOFF_MS = 2;

  /** The most the back-off grows to on repeated failures, in ms (the default is 1000). */
  public static final int RETRY_BACKOFF_MAX_MS = 10;

  private TransactionTuning() {}

  /** The settings, as producer config keys. */
  public static Map<String, Object> producerSettings() {
    return Map.of(
        ProducerConfig.RETRY_BACKOFF_MS_CONFIG, RETRY_BACKOFF_MS,
        ProducerConfig.RETRY_BACKOFF_MAX_MS_CONFIG, RETRY_BACKOFF_MAX_MS);
  }
}
