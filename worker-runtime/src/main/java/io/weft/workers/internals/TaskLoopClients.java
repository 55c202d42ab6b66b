package io.weft.workers.internals;

import io.weft.core.api.WeftTopics;
import io.weft.schemas.results.TaskReport;
import io.weft.schemas.tasks.TaskRequest;
import java.time.Duration;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The clients of one task loop, used only by its poll thread: the consumer of the type's topic, the
 * transactional producer of results and dead letters, the idempotent producer of heartbeats and
 * progress (advisory, so outside transactions), and the reader of the results topic, which makes a
 * consumer of its own for each read.
 */
final class TaskLoopClients implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(TaskLoopClients.class);
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

  /**
   * Makes the clients and serdes of a task loop: {@link Clients} in a worker, mock clients in unit
   * tests.
   */
  interface Factory {

    /** The consumer of {@code type}'s topic, in the type's group, reading committed records. */
    Consumer<byte[], byte[]> taskConsumer(String type);

    /** A new transactional producer of {@code type}, with {@link #transactionalId}. */
    Producer<byte[], byte[]> transactionalProducer(String type);

    String transactionalId(String type);

    /** An idempotent, non-transactional producer. */
    Producer<byte[], byte[]> plainProducer(String name);

    Deserializer<TaskRequest> requestDeserializer();

    Serializer<TaskReport> reportSerializer();

    /**
     * The reader of the results topic of a loop of {@code type} whose partitions have no committed
     * offsets, timing out by {@code time}.
     */
    ResultsReader resultsReader(String type, Time time);
  }

  private final String topic;
  private final String pool;
  private final Consumer<byte[], byte[]> consumer;
  private final Transactions transactions;
  private final Producer<byte[], byte[]> advisory;
  private final RecordReader reader;
  private final Reports reports;
  private final ResultsReader results;

  private TaskLoopClients(
      String topic,
      String pool,
      Consumer<byte[], byte[]> consumer,
      Transactions transactions,
      Producer<byte[], byte[]> advisory,
      RecordReader reader,
      Reports reports,
      ResultsReader results) {
    this.topic = topic;
    this.pool = pool;
    this.consumer = consumer;
    this.transactions = transactions;
    this.advisory = advisory;
    this.reader = reader;
    this.reports = reports;
    this.results = results;
  }

  /**
   * Creates the clients of {@code type}'s {@code pool} (the type, or its GPU pool: {@link
   * WeftTopics#pool}) and initializes its transactions.
   */
  static TaskLoopClients create(
      Factory factory, WeftTopics topics, String type, String pool, String workerId, Time time) {
    Transactions transactions =
        new Transactions(() -> factory.transactionalProducer(pool), factory.transactionalId(pool));
    Producer<byte[], byte[]> advisory = null;
    Consumer<byte[], byte[]> consumer = null;
    try {
      transactions.start();
      advisory = factory.plainProducer("reports-" + pool);
      consumer = factory.taskConsumer(pool);
    } catch (RuntimeException e) {
      transactions.close();
      if (advisory != null) {
        advisory.close(Duration.ZERO);
      }
      throw e;
    }
    return new TaskLoopClients(
        topics.tasks(pool),
        pool,
        consumer,
        transactions,
        advisory,
        new RecordReader(type, factory.requestDeserializer()),
        new Reports(
            topics.results(),
            topics.deadLetters(),
            type,
            workerId,
            factory.reportSerializer(),
            time),
        factory.resultsReader(pool, time));
  }

  String topic() {
    return topic;
  }

  /** The task type, or its GPU pool, whose topic the loop reads. */
  String pool() {
    return pool;
  }

  Consumer<byte[], byte[]> consumer() {
    return consumer;
  }

  Transactions transactions() {
    return transactions;
  }

  Producer<byte[], byte[]> advisory() {
    return advisory;
  }

  RecordReader reader() {
    return reader;
  }

  Reports reports() {
    return reports;
  }

  ResultsReader results() {
    return results;
  }

  @Override
  public void close() {
    closeQuietly("consumer", () -> consumer.close(CloseOptions.timeout(CLOSE_TIMEOUT)));
    closeQuietly("transactional producer", transactions::close);
    closeQuietly("report producer", () -> advisory.close(CLOSE_TIMEOUT));
  }

  private void closeQuietly(String what, Runnable close) {
    try {
      close.run();
    } catch (RuntimeException e) {
      log.warn("Closing the {} of {} failed: {}", what, topic, e.toString());
    }
  }
}
