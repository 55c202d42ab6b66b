package io.weft.workers.internals;

import io.weft.core.api.Resources;
import io.weft.core.api.TaskRequestHeaders;
import io.weft.core.api.WeftTopics;
import io.weft.core.testing.ManualTime;
import io.weft.schemas.GeneratedClasses;
import io.weft.schemas.results.TaskHeartbeat;
import io.weft.schemas.results.TaskReport;
import io.weft.schemas.results.TaskResult;
import io.weft.schemas.serde.AvroDeserializer;
import io.weft.schemas.serde.AvroSerializer;
import io.weft.schemas.tasks.TaskRequest;
import io.weft.workers.api.LocalArtifactStore;
import io.weft.workers.api.TaskContext;
import io.weft.workers.api.TaskHandler;
import io.weft.workers.api.TaskOutputs;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.utils.Time;

/**
 * A {@link TaskLoop} of type {@value #TYPE} on Kafka's mock clients, a {@link ManualTime} and a
 * {@link ManualExecutor}, assigned partitions {@link #P0} and {@link #P1} (from offsets a previous
 * owner committed, if the test says so; empty at assignment unless the test says up to which end
 * offsets they hold records), with a fake {@link ResultsReader} ({@link #results}); the test turns
 * it ({@link #turn}) and finishes its handlers ({@link #finishRunning}). Its handler keeps the
 * context of every attempt it runs and succeeds with output {@code by = "w-1"} (and, for runs whose
 * id starts with {@code big-}, an output over the result size limit). One per test.
 */
final class TaskLoopKit {

  static final String TYPE = "train";

  /** What the kit's handler logs to, once an attempt. */
  static final org.slf4j.Logger HANDLER_LOG = org.slf4j.LoggerFactory.getLogger("test.handler");

  static final WeftTopics TOPICS = WeftTopics.withDefaultPrefix();
  static final TopicPartition P0 = new TopicPartition(TOPICS.tasks(TYPE), 0);
  static final TopicPartition P1 = new TopicPartition(TOPICS.tasks(TYPE), 1);
  static final Duration HEARTBEAT = Duration.ofSeconds(5);

  /** How long a handler told to stop may take to return before its attempt is abandoned. */
  static final Duration STOP_GRACE = Duration.ofSeconds(30);

  /** The window per partition of a loop whose test does not say, as a worker's default. */
  static final int DEFAULT_WINDOW = 64;

  /** The size limit of a result record the kit's loop is given. */
  static final int MAX_RESULT_BYTES = 4096;

  private static final Map<String, Object> SERDE =
      Map.of("schema.registry.url", "mock://task-loop-kit");

  final ManualTime time = new ManualTime();

  /** Thrown by the consumer's reads of committed offsets while set. */
  volatile KafkaException committedReadFailure;

  final MockConsumer<byte[], byte[]> consumer =
      new MockConsumer<>("earliest") {
        @Override
        public synchronized Map<TopicPartition, OffsetAndMetadata> committed(
            Set<TopicPartition> partitions) {
          if (committedReadFailure != null) {
            throw committedReadFailure;
          }
          return super.committed(partitions);
        }
      };
  final MockProducer<byte[], byte[]> advisory = newProducer();
  final ManualExecutor executor = new ManualExecutor();
  final RunningTasks running = new RunningTasks();
  final WorkerCounters counters = new WorkerCounters();

  /** The results topic as the loop's results reader finds it. */
  final FakeResults results = new FakeResults();

  /** The transactional producers the loop created, in order: one more after each fencing. */
  final List<MockProducer<byte[], byte[]>> transactional = new ArrayList<>();

  /** The context of each attempt the handler ran, in order. */
  final List<TaskContextImpl> executed = new CopyOnWriteArrayList<>();

  final TaskLoop loop;

  /** What the kit's handler says an attempt of its type needs when its task does not say. */
  volatile Resources handlerDefaults = Resources.NONE;

  /** The worker's capacity the loop admits by. */
  final Capacity capacity;

  /** A capacity nothing the tests declare exceeds. */
  static final Resources LARGE = new Resources(1024.0, 1L << 40, 0);

  private TaskLoopKit(
      int concurrency,
      int window,
      Resources capacity,
      Map<TopicPartition, OffsetAndMetadata> committedBefore,
      Map<TopicPartition, Long> endsAtAssignment,
      DoneAttempts done,
      KafkaException committedReadFailure) {
    this.committedReadFailure = committedReadFailure;
    this.capacity = new Capacity(capacity);
    this.results.done = done;
    GeneratedClasses.trust();
    TaskHandler handler =
        new TaskHandler() {
          @Override
          public String taskType() {
            return TYPE;
          }

          @Override
          public Resources defaultResources() {
            return handlerDefaults;
          }

          @Override
          public TaskOutputs execute(TaskContext context) {
            executed.add((TaskContextImpl) context);
            if (context.runId().startsWith("fail-")) { // a run whose id starts "fail-" fails
              throw new IllegalStateException("failed on purpose");
            }
            HANDLER_LOG.info("handling {}", context.runId());
            TaskOutputs outputs = TaskOutputs.empty().with("by", "w-1");
            // a run whose id starts "big-" gets a result over the size limit
            return context.runId().startsWith("big-")
                ? outputs.with("blob", "x".repeat(2 * MAX_RESULT_BYTES))
                : outputs;
          }
        };
    LoopSettings settings =
        new LoopSettings(
            "w-1",
            concurrency,
            window,
            Duration.ofMillis(100),
            HEARTBEAT.toNanos(),
            new LocalArtifactStore(Path.of("target", "task-loop-kit")),
            MAX_RESULT_BYTES,
            STOP_GRACE.toNanos());
    TaskLoopClients clients =
        TaskLoopClients.create(new MockFactory(), TOPICS, TYPE, TYPE, "w-1", time);
    loop =
        new TaskLoop(handler, clients, settings, executor, running, counters, this.capacity, time);
    loop.subscribe();
    consumer.updateBeginningOffsets(Map.of(P0, 0L, P1, 0L));
    Map<TopicPartition, Long> ends = new HashMap<>(Map.of(P0, 0L, P1, 0L));
    ends.putAll(endsAtAssignment);
    consumer.updateEndOffsets(ends);
    consumer.commitSync(committedBefore);
    consumer.rebalance(List.of(P0, P1));
  }

  /**
   * A loop running up to {@code concurrency} attempts at once, {@value #DEFAULT_WINDOW} a
   * partition.
   */
  static TaskLoopKit withConcurrency(int concurrency) {
    return new TaskLoopKit(
        concurrency, DEFAULT_WINDOW, LARGE, Map.of(), Map.of(), DoneAttempts.NONE, null);
  }

  /** A loop running up to {@code concurrency} attempts at once on a worker of {@code capacity}. */
  static TaskLoopKit withCapacity(int concurrency, Resources capacity) {
    return new TaskLoopKit(
        concurrency, DEFAULT_WINDOW, capacity, Map.of(), Map.of(), DoneAttempts.NONE, null);
  }

  /** A loop running up to {@code concurrency} attempts at once, {@code window} a partition. */
  static TaskLoopKit withConcurrencyAndWindow(int concurrency, int window) {
    return new TaskLoopKit(concurrency, window, LARGE, Map.of(), Map.of(), DoneAttempts.NONE, null);
  }

  /**
   * A loop that is the new owner of partitions a previous owner committed {@code committed} of
   * (offset and metadata), running up to {@code concurrency} attempts at once.
   */
  static TaskLoopKit newOwnerOf(
      int concurrency, Map<TopicPartition, OffsetAndMetadata> committedBefore) {
    return newOwnerOf(concurrency, committedBefore, Map.of());
  }

  /**
   * A loop that is the new owner of partitions a previous owner committed {@code committed} of,
   * which hold records up to {@code ends} (exclusive) when assigned.
   */
  static TaskLoopKit newOwnerOf(
      int concurrency,
      Map<TopicPartition, OffsetAndMetadata> committedBefore,
      Map<TopicPartition, Long> ends) {
    return new TaskLoopKit(
        concurrency, DEFAULT_WINDOW, LARGE, committedBefore, ends, DoneAttempts.NONE, null);
  }

  /**
   * A loop whose group has no committed offsets, assigned partitions that hold records up to {@code
   * ends} (exclusive) already, with the results topic holding the results of {@code done}.
   */
  static TaskLoopKit withoutCommittedOffsets(
      int concurrency, Map<TopicPartition, Long> ends, DoneAttempts done) {
    return new TaskLoopKit(concurrency, DEFAULT_WINDOW, LARGE, Map.of(), ends, done, null);
  }

  /**
   * A loop whose consumer cannot read the committed offsets of its partitions (until the test
   * clears {@link #committedReadFailure}), running up to {@code concurrency} attempts at once.
   */
  static TaskLoopKit withCommittedOffsetsUnreadable(int concurrency) {
    return new TaskLoopKit(
        concurrency,
        DEFAULT_WINDOW,
        LARGE,
        Map.of(),
        Map.of(),
        DoneAttempts.NONE,
        new TimeoutException("coordinator unavailable"));
  }

  /** Delivers a request of run {@code runId} at {@code offset} of {@code partition}. */
  TaskLoopKit request(TopicPartition partition, long offset, String runId) {
    return request(partition, offset, runId, time.now().plus(Duration.ofMinutes(10)));
  }

  /**
   * Delivers a request of run {@code runId}, due by {@code deadline}, as from a coordinator that
   * counted the timeout from dispatch.
   */
  TaskLoopKit request(TopicPartition partition, long offset, String runId, Instant deadline) {
    return request(partition, offset, requestOf(runId).setDeadline(deadline).build());
  }

  /** Delivers a request of run {@code runId} whose task declares {@code needs}. */
  TaskLoopKit requestNeeding(TopicPartition partition, long offset, String runId, Resources needs) {
    TaskRequest request =
        requestOf(runId)
            .setDeadline(time.now().plus(Duration.ofMinutes(10)))
            .setResources(needs.toAvro())
            .build();
    return request(partition, offset, request);
  }

  /**
   * Delivers a request of run {@code runId} whose task declares {@code needs} and which must start
   * by {@code startBy}.
   */
  TaskLoopKit requestNeedingBy(
      TopicPartition partition, long offset, String runId, Resources needs, Instant startBy) {
    TaskRequest request =
        requestOf(runId)
            .setDeadline(startBy.plus(Duration.ofMinutes(10)))
            .setTimeoutMs(Duration.ofMinutes(10).toMillis())
            .setStartBy(startBy)
            .setResources(needs.toAvro())
            .build();
    return request(partition, offset, request);
  }

  /**
   * Delivers a request of run {@code runId} whose attempt may run {@code timeout} from its start,
   * and must start by {@code startBy} (null: may wait indefinitely).
   */
  TaskLoopKit requestTimedFromStart(
      TopicPartition partition, long offset, String runId, Duration timeout, Instant startBy) {
    Instant waitUntil = startBy == null ? time.now() : startBy;
    TaskRequest request =
        requestOf(runId)
            .setDeadline(waitUntil.plus(timeout))
            .setTimeoutMs(timeout.toMillis())
            .setStartBy(startBy)
            .build();
    return request(partition, offset, request);
  }

  /**
   * Delivers attempt {@code attempt} of task {@code fit} of run {@code runId}, dispatched now (the
   * record's timestamp), with the headers naming it if {@code withHeaders}, as a coordinator writes
   * it.
   */
  TaskLoopKit requestOfAttempt(
      TopicPartition partition, long offset, String runId, int attempt, boolean withHeaders) {
    TaskRequest request =
        requestOf(runId, attempt).setDeadline(time.now().plus(Duration.ofMinutes(10))).build();
    Headers headers = new RecordHeaders();
    if (withHeaders) {
      TaskRequestHeaders.add(headers, runId, "fit", attempt);
    }
    byte[] value = new AvroSerializer<TaskRequest>(SERDE, false).serialize(P0.topic(), request);
    consumer.addRecord(
        new ConsumerRecord<>(
            partition.topic(),
            partition.partition(),
            offset,
            time.milliseconds(), // dispatched now
            TimestampType.CREATE_TIME,
            ConsumerRecord.NULL_SIZE,
            value.length,
            (runId + "/fit").getBytes(StandardCharsets.UTF_8),
            value,
            headers,
            Optional.empty()));
    return this;
  }

  private TaskRequest.Builder requestOf(String runId) {
    return requestOf(runId, 1);
  }

  private TaskRequest.Builder requestOf(String runId, int attempt) {
    return TaskRequest.newBuilder()
        .setRunId(runId)
        .setTaskId("fit")
        .setAttempt(attempt)
        .setType(TYPE)
        .setIdempotencyKey(runId + "/fit/" + attempt)
        .setScheduledAt(time.now());
  }

  private TaskLoopKit request(TopicPartition partition, long offset, TaskRequest request) {
    String runId = request.getRunId();
    byte[] value = new AvroSerializer<TaskRequest>(SERDE, false).serialize(P0.topic(), request);
    return record(partition, offset, runId + "/fit", value);
  }

  /**
   * Delivers a record with {@code key} and {@code value} at {@code offset} of {@code partition}.
   */
  TaskLoopKit record(TopicPartition partition, long offset, String key, byte[] value) {
    return record(partition, offset, key, value, new RecordHeaders());
  }

  /** Has the consumer return a record with {@code headers}. */
  TaskLoopKit record(
      TopicPartition partition, long offset, String key, byte[] value, Headers headers) {
    consumer.addRecord(
        new ConsumerRecord<>(
            partition.topic(),
            partition.partition(),
            offset,
            ConsumerRecord.NO_TIMESTAMP,
            TimestampType.NO_TIMESTAMP_TYPE,
            ConsumerRecord.NULL_SIZE,
            value.length,
            key.getBytes(StandardCharsets.UTF_8),
            value,
            headers,
            Optional.empty()));
    return this;
  }

  /** Has the consumer give up {@code revoked} (the loop's listener told) during the next poll. */
  TaskLoopKit revokeOnNextPoll(TopicPartition... revoked) {
    List<TopicPartition> kept = new ArrayList<>(consumer.assignment());
    kept.removeAll(List.of(revoked));
    consumer.schedulePollTask(() -> consumer.rebalance(kept));
    return this;
  }

  /** Has the consumer lose {@code lost} (the loop's listener told) during the next poll. */
  TaskLoopKit loseOnNextPoll(TopicPartition... lost) {
    consumer.schedulePollTask(() -> consumer.losePartitions(List.of(lost)));
    return this;
  }

  /** One turn of the loop. */
  TaskLoopKit turn() {
    loop.runOnce();
    return this;
  }

  /** Lets every running handler finish. */
  TaskLoopKit finishRunning() {
    executor.finishAll();
    return this;
  }

  /** Lets the handler started first (of those running) finish. */
  TaskLoopKit finishOldest() {
    executor.finishOldest();
    return this;
  }

  /** Lets the handler started last finish. */
  TaskLoopKit finishLatest() {
    executor.finishLatest();
    return this;
  }

  /** The producer the loop commits with now. */
  MockProducer<byte[], byte[]> producer() {
    return transactional.get(transactional.size() - 1);
  }

  /** The results committed so far, by any of the loop's producers, in order. */
  List<TaskResult> committedResults() {
    return reports(
        transactional.stream().flatMap(producer -> producer.history().stream()), TaskResult.class);
  }

  /** The heartbeats sent so far, in order. */
  List<TaskHeartbeat> heartbeats() {
    return reports(advisory.history().stream(), TaskHeartbeat.class);
  }

  private static <T> List<T> reports(
      Stream<ProducerRecord<byte[], byte[]>> records, Class<T> kind) {
    Deserializer<TaskReport> deserializer = new AvroDeserializer<>(TaskReport.class, SERDE);
    return records
        .filter(record -> record.topic().equals(TOPICS.results()))
        .map(record -> deserializer.deserialize(record.topic(), record.value()).getReport())
        .filter(kind::isInstance)
        .map(kind::cast)
        .toList();
  }

  /** The records committed to the dead-letter topic so far. */
  List<ProducerRecord<byte[], byte[]>> committedDeadLetters() {
    return transactional.stream()
        .flatMap(producer -> producer.history().stream())
        .filter(record -> record.topic().equals(TOPICS.deadLetters()))
        .toList();
  }

  /** The input offsets each committed transaction carried, in order. */
  List<Map<TopicPartition, Long>> committedOffsets() {
    return committedOffsetsAndMetadata().stream().map(TaskLoopKit::nextOffsets).toList();
  }

  /** The input offsets and their metadata each committed transaction carried, in order. */
  List<Map<TopicPartition, OffsetAndMetadata>> committedOffsetsAndMetadata() {
    List<Map<TopicPartition, OffsetAndMetadata>> commits = new ArrayList<>();
    for (MockProducer<byte[], byte[]> producer : transactional) {
      for (Map<String, Map<TopicPartition, OffsetAndMetadata>> byGroup :
          producer.consumerGroupOffsetsHistory()) {
        commits.addAll(byGroup.values());
      }
    }
    return commits;
  }

  /** The last offset and metadata committed of {@code partition}. */
  OffsetAndMetadata lastCommitted(TopicPartition partition) {
    List<Map<TopicPartition, OffsetAndMetadata>> commits = committedOffsetsAndMetadata();
    for (int i = commits.size() - 1; i >= 0; i--) {
      if (commits.get(i).containsKey(partition)) {
        return commits.get(i).get(partition);
      }
    }
    throw new AssertionError("Nothing committed of " + partition);
  }

  private static Map<TopicPartition, Long> nextOffsets(Map<TopicPartition, OffsetAndMetadata> in) {
    Map<TopicPartition, Long> offsets = new HashMap<>();
    in.forEach((partition, offset) -> offsets.put(partition, offset.offset()));
    return offsets;
  }

  private static MockProducer<byte[], byte[]> newProducer() {
    return new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
  }

  /** The results topic as a fake reader: its results, or a failure while one is set. */
  static final class FakeResults implements ResultsReader {

    volatile DoneAttempts done = DoneAttempts.NONE;

    /** Thrown by reads while set. */
    volatile KafkaException failure;

    /** How many times the loop read the results. */
    int reads;

    @Override
    public DoneAttempts read() {
      reads++;
      if (failure != null) {
        throw failure;
      }
      return done;
    }
  }

  /** The mock clients, and serdes on an in-memory registry. */
  private final class MockFactory implements TaskLoopClients.Factory {

    @Override
    public MockConsumer<byte[], byte[]> taskConsumer(String type) {
      return consumer;
    }

    @Override
    public MockProducer<byte[], byte[]> transactionalProducer(String type) {
      MockProducer<byte[], byte[]> producer = newProducer();
      transactional.add(producer);
      return producer;
    }

    @Override
    public String transactionalId(String type) {
      return "weft.workers." + type + ".w-1";
    }

    @Override
    public MockProducer<byte[], byte[]> plainProducer(String name) {
      return advisory;
    }

    @Override
    public Deserializer<TaskRequest> requestDeserializer() {
      return new AvroDeserializer<>(TaskRequest.class, SERDE);
    }

    @Override
    public Serializer<TaskReport> reportSerializer() {
      return new AvroSerializer<>(SERDE, false);
    }

    @Override
    public ResultsReader resultsReader(String type, Time time) {
      return results;
    }
  }
}
