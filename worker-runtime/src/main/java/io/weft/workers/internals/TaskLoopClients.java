package io.weft.workers.internals;

import io.weft.core.api.WeftTopics;
import io.weft.schemas.tasks.TaskRequest;
import java.time.Duration;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The clients of one task loop, used only by its poll thread: the consumer of the type's topic, the
 * transactional producer of results and dead letters, and the idempotent producer of heartbeats and
 * progress (advisory, so outside transactions).
 */
final class TaskLoopClients implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(TaskLoopClients.class);
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

  private final String topic;
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final Transactions transactions;
  private final KafkaProducer<byte[], byte[]> advisory;
  private final RecordReader reader;
  private final Reports reports;

  private TaskLoopClients(
      String topic,
      KafkaConsumer<byte[], byte[]> consumer,
      Transactions transactions,
      KafkaProducer<byte[], byte[]> advisory,
      RecordReader reader,
      Reports reports) {
    this.topic = topic;
    this.consumer = consumer;
    this.transactions = transactions;
    this.advisory = advisory;
    this.reader = reader;
    this.reports = reports;
  }

  /** Creates the clients of {@code type} and initializes its transactions. */
  static TaskLoopClients create(
      Clients clients, WeftTopics topics, String type, String workerId, Time time) {
    Transactions transactions =
        new Transactions(() -> clients.transactionalProducer(type), clients.transactionalId(type));
    KafkaProducer<byte[], byte[]> advisory = null;
    KafkaConsumer<byte[], byte[]> consumer = null;
    try {
      transactions.start();
      advisory = clients.plainProducer("reports-" + type);
      consumer = clients.taskConsumer(type);
    } catch (RuntimeException e) {
      transactions.close();
      if (advisory != null) {
        advisory.close(Duration.ZERO);
      }
      throw e;
    }
    return new TaskLoopClients(
        topics.tasks(type),
        consumer,
        transactions,
        advisory,
        new RecordReader(type, clients.deserializer(TaskRequest.class)),
        new Reports(
            topics.results(), topics.deadLetters(), type, workerId, clients.serializer(), time));
  }

  String topic() {
    return topic;
  }

  KafkaConsumer<byte[], byte[]> consumer() {
    return consumer;
  }

  Transactions transactions() {
    return transactions;
  }

  KafkaProducer<byte[], byte[]> advisory() {
    return advisory;
  }

  RecordReader reader() {
    return reader;
  }

  Reports reports() {
    return reports;
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
