package io.weft.workers.api;

import io.weft.core.api.Resources;
import java.util.Map;

/**
 * Executes the requests of one task type. Implementations must be thread-safe when {@code
 * worker.concurrency} is above 1: the worker then calls {@link #execute} from several threads at
 * once, for requests of different partitions.
 *
 * <p>An attempt may be executed more than once (after a crash or a rebalance, see {@link
 * io.weft.workers.api}); side effects outside Kafka should be keyed by {@link
 * TaskContext#idempotencyKey()}.
 */
public interface TaskHandler {

  /**
   * The task type this handler serves, matching {@code [a-z0-9-]+}: it names the topic {@code
   * weft.tasks.<type>} and the consumer group {@code weft.workers.<type>}.
   */
  String taskType();

  /** What the handler does, for people; published with the type's declaration. Null for none. */
  default String description() {
    return null;
  }

  /**
   * What an attempt of this type needs when its task declares nothing of it: the worker admits a
   * request by its task's {@code resources}, each of cpu and memory it leaves out taken from here
   * ({@link Resources#orElse}). A GPU is not defaulted: whether a task needs one decides the pool
   * its requests go to, so the task declares it. {@link Resources#NONE} (the default) for a type
   * limited by {@code worker.concurrency} alone.
   */
  default Resources defaultResources() {
    return Resources.NONE;
  }

  /**
   * Called once by the {@link Worker} as it starts, before any {@link #execute}, with the worker's
   * connection settings ({@link WorkerConfig#connectionSettings()}: {@code bootstrap.servers},
   * {@code weft.topic.prefix}, Kafka security and schema registry settings), in the form {@code
   * WeftClient.create} and {@code ModelRegistry.create} accept them. A handler that talks to Weft
   * itself (e.g. the model registry's task types) keeps them; others ignore them. Throwing fails
   * the worker's start.
   */
  default void configure(Map<String, ?> connectionSettings) {}

  /**
   * Called once when the worker has stopped executing, to release what the handler opened (e.g. a
   * client created from the {@link #configure} settings). Errors are logged, not thrown.
   */
  default void close() {}

  /**
   * Executes one attempt of a task.
   *
   * <p>Returning reports the attempt {@code SUCCEEDED} with the returned outputs and metrics
   * ({@code null} counts as {@link TaskOutputs#empty()}). Throwing reports it {@code FAILED}:
   *
   * <ul>
   *   <li>a {@link TaskFailedException} gives its own message and retryable flag;
   *   <li>any other exception (or error) gives its class name as the error class, its message (and
   *       its root cause's, if different) and <b>retryable = true</b>, since an unexpected error (a
   *       full disk, a lost connection) may well pass on another attempt.
   * </ul>
   *
   * <p>A long-running handler should check {@link TaskContext#isCancelled()} now and then and stop
   * early when it becomes true; whatever it returns then is reported or discarded as the cause of
   * the cancellation requires.
   *
   * @param context the request and the runtime's services for this attempt
   * @return the attempt's named outputs and metrics
   * @throws Exception to fail the attempt
   */
  TaskOutputs execute(TaskContext context) throws Exception;
}
