package io.weft.workers.internals;

import io.weft.common.WeftException;
import io.weft.core.api.WeftTopics;
import io.weft.workers.api.WorkerConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the topics a worker needs and that are missing, with explicit partitions, replication
 * factor and configs (never relying on the broker's auto-creation), and waits until every partition
 * has a leader. Existing topics are left as they are.
 */
final class TopicSetup {

  private static final Logger log = LoggerFactory.getLogger(TopicSetup.class);
  private static final long TIMEOUT_MS = 30_000;
  private static final long LEADER_CHECK_INTERVAL_MS = 50;

  private TopicSetup() {}

  /** The task topics of {@code types}, and the core topics a worker writes or reads. */
  static void ensure(Admin admin, WorkerConfig config, Set<String> types) {
    WeftTopics topics = config.topics();
    Map<String, Map<String, String>> core = topics.coreTopicConfigs();
    Map<String, Map<String, String>> wanted = new LinkedHashMap<>();
    for (String type : types) {
      wanted.put(topics.tasks(type), Map.of());
    }
    for (String topic :
        List.of(
            topics.results(), topics.deadLetters(), topics.cancellations(), topics.taskTypes())) {
      wanted.put(topic, core.get(topic));
    }
    try {
      Set<String> existing = admin.listTopics().names().get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
      List<NewTopic> missing = new ArrayList<>();
      wanted.forEach(
          (name, configs) -> {
            if (!existing.contains(name)) {
              missing.add(newTopic(name, configs, config));
            }
          });
      if (missing.isEmpty()) {
        return;
      }
      create(admin, missing);
      awaitLeaders(admin, missing.stream().map(NewTopic::name).toList());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new WeftException("Interrupted while creating the worker's topics", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new WeftException("Cannot create the worker's topics: " + e.getMessage(), e);
    }
  }

  private static NewTopic newTopic(String name, Map<String, String> configs, WorkerConfig config) {
    Optional<Short> rf = config.replicationFactor();
    return new NewTopic(name, Optional.of(config.taskTopicPartitions()), rf).configs(configs);
  }

  private static void create(Admin admin, List<NewTopic> missing)
      throws InterruptedException, ExecutionException, TimeoutException {
    for (Map.Entry<String, KafkaFuture<Void>> created :
        admin.createTopics(missing).values().entrySet()) {
      try {
        created.getValue().get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
        log.info("Created topic {}", created.getKey());
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof TopicExistsException)) {
          throw e; // another worker creating it at the same time is fine
        }
      }
    }
  }

  private static void awaitLeaders(Admin admin, List<String> names)
      throws InterruptedException, ExecutionException, TimeoutException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MS);
    while (!haveLeaders(admin, names)) {
      if (System.nanoTime() - deadline > 0) {
        throw new TimeoutException(
            "topics " + names + " have partitions without a leader after " + TIMEOUT_MS + " ms");
      }
      TimeUnit.MILLISECONDS.sleep(LEADER_CHECK_INTERVAL_MS);
    }
  }

  private static boolean haveLeaders(Admin admin, List<String> names)
      throws InterruptedException, TimeoutException {
    try {
      Map<String, TopicDescription> descriptions =
          admin.describeTopics(names).allTopicNames().get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
      return descriptions.values().stream()
          .flatMap(d -> d.partitions().stream())
          .allMatch(p -> p.leader() != null && !p.leader().isEmpty());
    } catch (ExecutionException e) {
      return false; // metadata not yet propagated
    }
  }
}
