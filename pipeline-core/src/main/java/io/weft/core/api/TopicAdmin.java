package io.weft.core.api;

import io.weft.common.WeftException;
import io.weft.core.api.TopicSpec.Partitioning;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that creates and checks Weft's topics, for every component (coordinator, workers,
 * client, model registry), from the catalogue ({@link WeftTopics}): a missing topic is created with
 * its entry's configs (or those its component's settings give it, {@link WeftConfig#topicConfigs})
 * and partition count, and the call returns once every partition has a leader (a record produced
 * before that can be lost). Brokers' auto-creation is never relied on.
 *
 * <p>Components may start in any order: a missing run-keyed topic (commands, results, events) gets
 * the partition count of the run-keyed topics that already exist, whoever created them, so that
 * they stay co-partitioned; {@code weft.partitions} applies to the first. Existing topics are never
 * changed, only checked: run-keyed topics with different counts, or a single-partition topic with
 * more, fail naming each topic and its count.
 */
public final class TopicAdmin {

  private static final Logger log = LoggerFactory.getLogger(TopicAdmin.class);
  private static final long TIMEOUT_MS = 60_000;
  private static final long LEADER_CHECK_INTERVAL_MS = 50;

  private final Admin admin;
  private final WeftTopics topics;
  private final int partitions;
  private final Optional<Short> replicationFactor;
  private final Function<TopicSpec<?>, Map<String, String>> topicConfigs;

  /**
   * Creates topics with their catalogue entry's configs.
   *
   * @param partitions the partition count of topics created without one of their own ({@code
   *     weft.partitions})
   * @param replicationFactor -1 for the broker's default
   */
  public TopicAdmin(Admin admin, WeftTopics topics, int partitions, short replicationFactor) {
    this(admin, topics, partitions, replicationFactor, TopicSpec::configs);
  }

  /**
   * @param partitions the partition count of topics created without one of their own ({@code
   *     weft.partitions})
   * @param replicationFactor -1 for the broker's default
   * @param topicConfigs the configs a topic of the catalogue is created with (see {@link
   *     WeftConfig#topicConfigs})
   */
  public TopicAdmin(
      Admin admin,
      WeftTopics topics,
      int partitions,
      short replicationFactor,
      Function<TopicSpec<?>, Map<String, String>> topicConfigs) {
    this.admin = admin;
    this.topics = topics;
    this.partitions = partitions;
    this.replicationFactor =
        replicationFactor < 0 ? Optional.empty() : Optional.of(replicationFactor);
    this.topicConfigs = topicConfigs;
  }

  /** The topics the coordinator uses; their partition counts by name. */
  public Map<String, Integer> ensureCore() {
    return ensure(topics.names(WeftTopics.CORE));
  }

  /** The model registry's topics. */
  public Map<String, Integer> ensureModels() {
    return ensure(topics.names(WeftTopics.MODELS));
  }

  /** The task topics of {@code types}. */
  public Map<String, Integer> ensureTaskTopics(Collection<String> types) {
    return ensure(types.stream().map(topics::tasks).toList());
  }

  /**
   * The largest record {@code topic} accepts ({@code max.message.bytes}, the topic's or the
   * broker's).
   *
   * @throws WeftException if it cannot be described
   */
  public int maxMessageBytes(String topic) {
    ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
    try {
      Config config =
          admin
              .describeConfigs(List.of(resource))
              .all()
              .get(TIMEOUT_MS, TimeUnit.MILLISECONDS)
              .get(resource);
      return Integer.parseInt(config.get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG).value());
    } catch (ExecutionException | TimeoutException e) {
      throw new WeftException("Cannot describe topic " + topic + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new WeftException("Interrupted while describing topic " + topic, e);
    }
  }

  /**
   * Creates the coordinator's state changelogs, which are Kafka Streams' topics, not the
   * catalogue's ({@link Recovery} writes them before the coordinator starts), with {@code
   * partitions} partitions, if they are missing.
   *
   * @param changelogs topic configs by changelog name
   */
  public void ensureChangelogs(Map<String, Map<String, String>> changelogs, int partitions) {
    try {
      Set<String> existing = admin.listTopics().names().get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
      List<NewTopic> missing = new ArrayList<>();
      changelogs.forEach(
          (name, configs) -> {
            if (!existing.contains(name)) {
              missing.add(
                  new NewTopic(name, Optional.of(partitions), replicationFactor).configs(configs));
            }
          });
      create(missing);
      awaitLeaders(changelogs.keySet());
    } catch (ExecutionException e) {
      throw new WeftException(
          "Cannot create topics " + changelogs.keySet() + ": " + e.getCause().getMessage(),
          e.getCause());
    } catch (TimeoutException e) {
      throw new WeftException("Creating topics " + changelogs.keySet() + " timed out", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new WeftException("Interrupted while creating topics " + changelogs.keySet(), e);
    }
  }

  /**
   * Creates those of {@code names} that are missing and checks them all.
   *
   * @param names topics of the catalogue under this installation's prefix
   * @return the partition count of each, as it now is
   * @throws IllegalArgumentException if a name is not one of the catalogue's
   * @throws WeftException if they cannot be created, or fail a check, naming the topics
   */
  public Map<String, Integer> ensure(Collection<String> names) {
    Map<String, TopicSpec<?>> wanted = new TreeMap<>();
    for (String name : names) {
      wanted.put(
          name,
          topics
              .specOf(name)
              .orElseThrow(
                  () -> new IllegalArgumentException(name + " is not a topic of " + topics)));
    }
    try {
      Set<String> existing = admin.listTopics().names().get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
      Map<String, Integer> runKeyed = describe(runKeyedNames(existing));
      checkRunKeyed(runKeyed);
      int runKeyedCount = runKeyed.values().stream().findFirst().orElse(partitions);
      List<NewTopic> missing = new ArrayList<>();
      wanted.forEach(
          (name, spec) -> {
            if (!existing.contains(name)) {
              missing.add(newTopic(name, spec, runKeyedCount));
            }
          });
      create(missing);
      Map<String, Integer> counts = awaitLeaders(wanted.keySet());
      check(wanted, counts);
      return counts;
    } catch (ExecutionException e) {
      throw new WeftException(
          "Cannot create topics " + wanted.keySet() + ": " + e.getCause().getMessage(),
          e.getCause());
    } catch (TimeoutException e) {
      throw new WeftException(
          "Creating topics "
              + wanted.keySet()
              + " timed out after "
              + TIMEOUT_MS
              + " ms; is the broker reachable? "
              + e.getMessage(),
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new WeftException("Interrupted while creating topics " + wanted.keySet(), e);
    }
  }

  /** The topic {@code name} of {@code spec} as it is created when missing. */
  NewTopic newTopic(String name, TopicSpec<?> spec, int runKeyedCount) {
    int count =
        switch (spec.partitioning()) {
          case SINGLE -> 1;
          case RUN_KEYED -> runKeyedCount;
          case SHARED -> partitions;
        };
    if (spec.partitioning() == Partitioning.RUN_KEYED && count != partitions) {
      log.info(
          "Creating {} with {} partitions, as the run-keyed topics that exist have"
              + " (weft.partitions is {})",
          name,
          count,
          partitions);
    }
    return new NewTopic(name, Optional.of(count), replicationFactor)
        .configs(topicConfigs.apply(spec));
  }

  private List<String> runKeyedNames(Set<String> existing) {
    return WeftTopics.ALL.stream()
        .filter(s -> s.partitioning() == Partitioning.RUN_KEYED)
        .map(topics::name)
        .filter(existing::contains)
        .toList();
  }

  private void create(List<NewTopic> missing)
      throws InterruptedException, ExecutionException, TimeoutException {
    if (missing.isEmpty()) {
      return;
    }
    for (Map.Entry<String, KafkaFuture<Void>> created :
        admin.createTopics(missing).values().entrySet()) {
      try {
        created.getValue().get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
        log.info("Created topic {}", created.getKey());
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof TopicExistsException)) {
          throw e; // another component creating it at the same time is fine: it is checked next
        }
      }
    }
  }

  private void check(Map<String, TopicSpec<?>> wanted, Map<String, Integer> counts)
      throws InterruptedException, ExecutionException, TimeoutException {
    wanted.forEach(
        (name, spec) -> {
          if (spec.partitioning() == Partitioning.SINGLE && counts.get(name) != 1) {
            throw new WeftException(
                "Topic "
                    + name
                    + " has "
                    + counts.get(name)
                    + " partitions; it needs exactly 1 (one total order of its changes)");
          }
        });
    if (wanted.values().stream().anyMatch(s -> s.partitioning() == Partitioning.RUN_KEYED)) {
      // another component may have created some of them at the same time
      Set<String> now = admin.listTopics().names().get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
      checkRunKeyed(describe(runKeyedNames(now)));
    }
  }

  private static void checkRunKeyed(Map<String, Integer> runKeyed) {
    if (runKeyed.values().stream().distinct().count() > 1) {
      throw new WeftException(
          "Topics "
              + runKeyed
              + " (partitions by topic) must have the same partition count: they are keyed by run"
              + " id and read together");
    }
  }

  private Map<String, Integer> describe(Collection<String> names)
      throws InterruptedException, ExecutionException, TimeoutException {
    Map<String, Integer> counts = new TreeMap<>();
    describeKnown(names, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MS))
        .forEach((name, d) -> counts.put(name, d.partitions().size()));
    return counts;
  }

  /**
   * Describes {@code names}, asking again while a broker does not know one of them yet: on a
   * cluster, a topic just created (here or by another component) reaches each broker's metadata a
   * moment later, and the broker asked may be another than the one that listed or created it.
   */
  private Map<String, TopicDescription> describeKnown(Collection<String> names, long deadline)
      throws InterruptedException, ExecutionException, TimeoutException {
    if (names.isEmpty()) {
      return Map.of();
    }
    while (true) {
      try {
        return admin.describeTopics(names).allTopicNames().get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof UnknownTopicOrPartitionException)
            || System.nanoTime() - deadline > 0) {
          throw e;
        }
      }
      TimeUnit.MILLISECONDS.sleep(LEADER_CHECK_INTERVAL_MS);
    }
  }

  private Map<String, Integer> awaitLeaders(Set<String> names)
      throws InterruptedException, ExecutionException, TimeoutException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MS);
    while (true) {
      Map<String, TopicDescription> described = describeKnown(names, deadline);
      if (haveLeaders(described)) {
        Map<String, Integer> counts = new HashMap<>();
        described.forEach((n, d) -> counts.put(n, d.partitions().size()));
        return counts;
      }
      if (System.nanoTime() - deadline > 0) {
        throw new TimeoutException("partitions of " + names + " have no leader");
      }
      TimeUnit.MILLISECONDS.sleep(LEADER_CHECK_INTERVAL_MS);
    }
  }

  private static boolean haveLeaders(Map<String, TopicDescription> described) {
    return described.values().stream()
        .flatMap(d -> d.partitions().stream())
        .allMatch(p -> p.leader() != null && !p.leader().isEmpty());
  }
}
