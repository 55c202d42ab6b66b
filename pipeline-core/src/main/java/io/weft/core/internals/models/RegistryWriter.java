package io.weft.core.internals.models;

import io.weft.common.WeftException;
import io.weft.core.api.WeftTopics;
import io.weft.schemas.models.ModelAliasChanged;
import io.weft.schemas.models.ModelVersion;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.InvalidTxnStateException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.TransactionAbortableException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes to the registry under a per-model lock: a transactional producer whose {@code
 * transactional.id} is derived from the model's name ({@link WeftTopics#modelLock}).
 *
 * <p>Each write creates such a producer and calls {@code initTransactions}, which fences every
 * other producer with the same id and aborts its open transaction. Only then does it read both
 * topics to their end ({@link RegistryLog}, read_committed), decide what to write from that state,
 * send and commit. Any other writer of the same model that starts meanwhile fences this one, whose
 * commit then fails; so a commit succeeds only if no other writer of the model has started since
 * this one read its state, and two processes can never assign the same version number or move an
 * alias from a stale state. A fenced write is tried again from the start, with a random backoff, at
 * most {@link #MAX_ATTEMPTS} times.
 */
public final class RegistryWriter {

  private static final Logger log = LoggerFactory.getLogger(RegistryWriter.class);

  /** Attempts of one write before it fails. */
  public static final int MAX_ATTEMPTS = 20;

  private static final AtomicLong PRODUCERS = new AtomicLong();
  private static final int TRANSACTION_TIMEOUT_MS = 10_000;

  /** Writers of one model in this process wait for each other instead of fencing each other. */
  private final Map<String, ReentrantLock> localLocks = new ConcurrentHashMap<>();

  private final Map<String, Object> producerProps;
  private final WeftTopics topics;
  private final RegistryLog registryLog;
  private final Serializer<ModelVersion> versions;
  private final Serializer<ModelAliasChanged> aliases;

  public RegistryWriter(
      Map<String, Object> producerProps,
      WeftTopics topics,
      RegistryLog registryLog,
      Serializer<ModelVersion> versions,
      Serializer<ModelAliasChanged> aliases,
      Duration timeout) {
    this.producerProps = new HashMap<>(producerProps);
    this.producerProps.put(ProducerConfig.ACKS_CONFIG, "all");
    this.producerProps.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    this.producerProps.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, TRANSACTION_TIMEOUT_MS);
    this.producerProps.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) timeout.toMillis());
    this.topics = topics;
    this.registryLog = registryLog;
    this.versions = versions;
    this.aliases = aliases;
  }

  /** What a write decided: its result, and the records to write (none: nothing to write). */
  public record Decision<T>(T result, List<SpecificRecord> records) {}

  /**
   * Reads the state under the model's lock, decides with {@code decide} and writes what it decided
   * in one transaction.
   *
   * @return the decision's result, once its records are committed
   * @throws WeftException what {@code decide} throws, or if the write fails
   */
  public <T> T write(String model, Function<RegistryView, Decision<T>> decide) {
    ReentrantLock local = localLocks.computeIfAbsent(model, m -> new ReentrantLock());
    local.lock();
    try {
      return writeLocked(model, decide);
    } finally {
      local.unlock();
    }
  }

  private <T> T writeLocked(String model, Function<RegistryView, Decision<T>> decide) {
    for (int attempt = 1; ; attempt++) {
      KafkaProducer<String, byte[]> producer = producer(model);
      try {
        producer.initTransactions();
        Decision<T> decision = registryLog.read(decide);
        if (!decision.records().isEmpty()) {
          List<ProducerRecord<String, byte[]>> records = serialize(decision.records());
          producer.beginTransaction();
          records.forEach(producer::send);
          producer.commitTransaction();
        }
        return decision.result();
      } catch (KafkaException e) {
        if (!isConflict(e)) {
          throw e instanceof WeftException weft
              ? weft
              : new WeftException(
                  "Cannot write model '" + model + "' to the registry: " + e.getMessage(), e);
        }
        if (attempt == MAX_ATTEMPTS) {
          throw new WeftException(
              "Cannot write model '"
                  + model
                  + "': other writers of the same model fenced this one "
                  + MAX_ATTEMPTS
                  + " times in a row",
              e);
        }
        log.debug("Write of model {} fenced (attempt {}), trying again", model, attempt, e);
        backoff(attempt);
      } finally {
        producer.close(Duration.ofSeconds(5));
      }
    }
  }

  private KafkaProducer<String, byte[]> producer(String model) {
    Map<String, Object> props = new HashMap<>(producerProps);
    String lock = topics.modelLock(model);
    props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, lock);
    props.put(ProducerConfig.CLIENT_ID_CONFIG, lock + "-" + PRODUCERS.incrementAndGet());
    return new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
  }

  private List<ProducerRecord<String, byte[]>> serialize(List<SpecificRecord> records) {
    List<ProducerRecord<String, byte[]>> serialized = new ArrayList<>();
    for (SpecificRecord record : records) {
      if (record instanceof ModelVersion v) {
        String topic = topics.modelVersions();
        serialized.add(
            new ProducerRecord<>(
                topic,
                0,
                RegistryView.versionKey(v.getName(), v.getVersion()),
                versions.serialize(topic, v)));
      } else if (record instanceof ModelAliasChanged a) {
        String topic = topics.modelAliases();
        serialized.add(
            new ProducerRecord<>(
                topic,
                0,
                RegistryView.aliasKey(a.getName(), a.getAlias()),
                aliases.serialize(topic, a)));
      } else {
        throw new IllegalArgumentException("Not a registry record: " + record.getClass());
      }
    }
    return serialized;
  }

  /** Whether another writer of the same model fenced this one (or aborted its transaction). */
  private static boolean isConflict(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ProducerFencedException
          || t instanceof InvalidProducerEpochException
          || t instanceof TransactionAbortableException
          // a transaction another writer's initTransactions aborted under us: nothing committed
          || t instanceof InvalidTxnStateException) {
        return true;
      }
    }
    return false;
  }

  private static void backoff(int attempt) {
    long max = Math.min(1_000, 20L << Math.min(attempt, 6));
    try {
      TimeUnit.MILLISECONDS.sleep(ThreadLocalRandom.current().nextLong(max / 2, max + 1));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new WeftException("Interrupted while writing to the model registry", e);
    }
  }
}
