package io.weft.core.internals.models;

import io.weft.common.WeftException;
import io.weft.core.api.WeftTopics;
import io.weft.schemas.models.ModelAliasChanged;
import io.weft.schemas.models.ModelVersion;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the registry's two topics (partition 0 of each) into a {@link RegistryView}, catching up
 * before every read: the first read folds them from the beginning, later ones only what was written
 * since. Thread-safe.
 *
 * <p>"Caught up" means the consumer's position has reached the log-end offset (high watermark) that
 * the topics had when the read began, read with {@code isolation.level=read_committed}: every
 * record committed before then is folded in, none that was aborted is. A transaction still open at
 * that moment holds the read back until it ends (the registry's own transactions last milliseconds,
 * a crashed writer's until its transaction times out), so that nothing committed after it can be
 * missed either.
 */
public final class RegistryLog implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(RegistryLog.class);

  private final KafkaConsumer<String, byte[]> consumer;
  private final Admin admin;
  private final TopicPartition versionsPartition;
  private final TopicPartition aliasesPartition;
  private final Deserializer<ModelVersion> versions;
  private final Deserializer<ModelAliasChanged> aliases;
  private final Duration timeout;
  private final RegistryView view = new RegistryView();

  public RegistryLog(
      Map<String, Object> consumerProps,
      Admin admin,
      WeftTopics topics,
      Deserializer<ModelVersion> versions,
      Deserializer<ModelAliasChanged> aliases,
      Duration timeout) {
    Map<String, Object> props = new HashMap<>(consumerProps);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.remove(ConsumerConfig.GROUP_ID_CONFIG);
    this.consumer =
        new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
    this.admin = admin;
    this.versionsPartition = new TopicPartition(topics.modelVersions(), 0);
    this.aliasesPartition = new TopicPartition(topics.modelAliases(), 0);
    this.versions = versions;
    this.aliases = aliases;
    this.timeout = timeout;
    List<TopicPartition> both = List.of(versionsPartition, aliasesPartition);
    consumer.assign(both);
    consumer.seekToBeginning(both);
  }

  /** Catches up with both topics, then answers {@code query} from the state. */
  public synchronized <T> T read(Function<RegistryView, T> query) {
    catchUp();
    return query.apply(view);
  }

  private void catchUp() {
    Map<TopicPartition, Long> end = logEnd();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (behind(end)) {
      if (System.nanoTime() > deadline) {
        throw new WeftException(
            "Reading the model registry ("
                + versionsPartition.topic()
                + ", "
                + aliasesPartition.topic()
                + ") did not reach offsets "
                + end
                + " within "
                + timeout
                + "; a transaction on them may still be open");
      }
      for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
        apply(record);
      }
    }
  }

  private boolean behind(Map<TopicPartition, Long> end) {
    return end.entrySet().stream()
        .anyMatch(e -> consumer.position(e.getKey(), timeout) < e.getValue());
  }

  private void apply(ConsumerRecord<String, byte[]> record) {
    try {
      if (record.topic().equals(versionsPartition.topic())) {
        view.applyVersion(
            record.key(),
            record.value() == null ? null : versions.deserialize(record.topic(), record.value()));
      } else {
        view.applyAlias(
            record.key(),
            record.value() == null ? null : aliases.deserialize(record.topic(), record.value()));
      }
    } catch (KafkaException e) {
      log.warn(
          "Skipping undecodable record {}-{}@{} (key {}) of the model registry: {}",
          record.topic(),
          record.partition(),
          record.offset(),
          record.key(),
          e.getMessage());
    }
  }

  /** The log-end offsets (high watermarks) of both partitions, committed or not. */
  private Map<TopicPartition, Long> logEnd() {
    try {
      Map<TopicPartition, ListOffsetsResultInfo> offsets =
          admin
              .listOffsets(
                  Map.of(
                      versionsPartition,
                      OffsetSpec.latest(),
                      aliasesPartition,
                      OffsetSpec.latest()))
              .all()
              .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      Map<TopicPartition, Long> end = new HashMap<>();
      offsets.forEach((partition, info) -> end.put(partition, info.offset()));
      return end;
    } catch (ExecutionException e) {
      throw new WeftException(
          "Cannot read the end offsets of the model registry's topics: "
              + e.getCause().getMessage(),
          e.getCause());
    } catch (TimeoutException e) {
      throw new WeftException(
          "Reading the end offsets of the model registry's topics timed out after " + timeout, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new WeftException("Interrupted while reading the model registry", e);
    }
  }

  @Override
  public synchronized void close() {
    consumer.close(Duration.ofSeconds(5));
  }
}
