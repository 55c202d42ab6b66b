package io.weft.core.internals.config;

import io.weft.common.WeftException;
import java.util.ArrayList;
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
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates Weft's topics explicitly, with their partition counts and configs, and waits until every
 * partition has a leader (a record produced before that can be lost). Never relies on the broker
 * creating topics on first use.
 */
public final class TopicAdmin {

  private static final Logger log = LoggerFactory.getLogger(TopicAdmin.class);
  private static final long TIMEOUT_SECONDS = 60;

  private TopicAdmin() {}

  /**
   * Creates each missing topic; existing topics are left as they are.
   *
   * @param replicationFactor -1 for the broker's default
   * @return the topics and their partition counts, as they now are
   */
  public static Map<String, Integer> ensure(
      Admin admin,
      Map<String, Map<String, String>> topics,
      int partitions,
      short replicationFactor) {
    try {
      Set<String> existing = admin.listTopics().names().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      List<NewTopic> missing = new ArrayList<>();
      topics.forEach(
          (name, configs) -> {
            if (!existing.contains(name)) {
              Optional<Short> rf =
                  replicationFactor < 0 ? Optional.empty() : Optional.of(replicationFactor);
              missing.add(new NewTopic(name, Optional.of(partitions), rf).configs(configs));
            }
          });
      if (!missing.isEmpty()) {
        try {
          admin.createTopics(missing).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
          log.info("Created topics {}", missing.stream().map(NewTopic::name).toList());
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw e;
          }
        }
      }
      return awaitLeaders(admin, topics.keySet());
    } catch (ExecutionException e) {
      throw new WeftException(
          "Cannot create topics " + topics.keySet() + ": " + e.getCause().getMessage(),
          e.getCause());
    } catch (TimeoutException e) {
      throw new WeftException(
          "Creating topics "
              + topics.keySet()
              + " timed out after "
              + TIMEOUT_SECONDS
              + " s; is the broker reachable?",
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new WeftException("Interrupted while creating topics", e);
    }
  }

  private static Map<String, Integer> awaitLeaders(Admin admin, Set<String> names)
      throws InterruptedException, ExecutionException, TimeoutException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
    while (true) {
      Map<String, TopicDescription> described;
      try {
        described =
            admin.describeTopics(names).allTopicNames().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof UnknownTopicOrPartitionException)
            || System.nanoTime() > deadline) {
          throw e;
        }
        described = null; // just created: the metadata has not reached every listener yet
      }
      boolean ready =
          described != null
              && described.values().stream()
                  .allMatch(
                      d ->
                          d.partitions().stream()
                              .allMatch(p -> p.leader() != null && !p.leader().isEmpty()));
      if (ready) {
        Map<String, Integer> counts = new java.util.HashMap<>();
        described.forEach((n, d) -> counts.put(n, d.partitions().size()));
        return counts;
      }
      if (System.nanoTime() > deadline) {
        throw new TimeoutException("partitions of " + names + " have no leader");
      }
      TimeUnit.MILLISECONDS.sleep(50);
    }
  }
}
