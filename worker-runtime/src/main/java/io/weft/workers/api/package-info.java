/**
 * The worker runtime's public API: the {@link io.weft.workers.api.TaskHandler} SPI, the {@link
 * io.weft.workers.api.ArtifactStore} SPI, and the {@link io.weft.workers.api.Worker} that runs
 * handlers against Kafka.
 *
 * <h2>Writing a handler</h2>
 *
 * A {@link io.weft.workers.api.TaskHandler} serves one task type. For each request the worker calls
 * {@link io.weft.workers.api.TaskHandler#execute} with a {@link io.weft.workers.api.TaskContext}
 * (ids, parameters, upstream outputs, deadline, artifact store, progress reports, cancellation) and
 * reports what it returns ({@link io.weft.workers.api.TaskOutputs}) or throws as the attempt's
 * {@code TaskResult}:
 *
 * <ul>
 *   <li>returning: {@code SUCCEEDED}, with the outputs and metrics;
 *   <li>throwing {@link io.weft.workers.api.TaskFailedException}: {@code FAILED}, with its message
 *       and its retryable flag;
 *   <li>throwing anything else: {@code FAILED}, with the exception's class name and message, and
 *       <b>retryable = true</b>.
 * </ul>
 *
 * Handlers should check {@link io.weft.workers.api.TaskContext#isCancelled()} now and then. Large
 * payloads go to the artifact store; outputs carry only references.
 *
 * <h2>Guarantees</h2>
 *
 * <ul>
 *   <li><b>Exactly-once results per attempt.</b> A worker writes an attempt's {@code TaskResult} to
 *       the results topic in the same Kafka transaction as the commit of the request's offset in
 *       the type's consumer group. For a reader with {@code isolation.level=read_committed} (the
 *       coordinator), each request is thus answered by exactly one committed result, even when the
 *       worker crashes between executing and committing, or loses the partition: the uncommitted
 *       result is never seen, and the request's offset is not moved.
 *   <li><b>At-least-once execution.</b> A request whose result was not committed is executed again
 *       by the partition's next owner (after a crash, a rebalance, or a shutdown that outlasted its
 *       timeout), with the same attempt number. Handlers' side effects outside Kafka (files,
 *       external services) must therefore be idempotent: key them by {@link
 *       io.weft.workers.api.TaskContext#idempotencyKey()} ({@code runId/taskId/attempt}), which is
 *       the same in every execution of an attempt. Artifacts stored under the same name for the
 *       same attempt replace each other, atomically.
 *   <li><b>Long tasks.</b> A partition has up to {@code worker.window.per.partition} requests in
 *       flight, run by up to {@code worker.concurrency} handlers at once, so a short request does
 *       not wait behind a long one; a partition is paused only while its window is full. The poll
 *       thread keeps polling, so {@code max.poll.interval.ms} does not expire during a long
 *       handler, and it sends a {@code TaskHeartbeat} every {@code worker.heartbeat.interval.ms}
 *       while a task runs, the first one interval after its start (by half the task's timeout if
 *       that is sooner, at once if its queue timeout would pass first); a task that ends sooner
 *       sends none, its result carrying its start time.
 *   <li><b>Advisory reports.</b> Heartbeats and progress reports are sent outside transactions,
 *       best effort; an attempt's reports precede its result on the results topic.
 *   <li><b>Expired requests.</b> A request whose deadline has passed when it is picked up is not
 *       executed: its offset is committed without a result (the coordinator has timed it out).
 *   <li><b>Bad records.</b> A record that cannot be decoded, has no value, or whose key or type
 *       does not match its request goes to the dead-letter topic with its original key, value and
 *       headers plus headers naming its origin and the error, in the same transaction as its offset
 *       commit; the worker goes on. A request that decodes but cannot run (a parameter that is not
 *       JSON) is answered with a non-retryable {@code FAILED} result. An unreachable schema
 *       registry is never blamed on the record: the record is read again after a backoff.
 *   <li><b>Cancellation.</b> Attempts of a run the coordinator stopped (a {@code RunCancelled} or
 *       {@code RunFailed} on the cancellations topic) see {@code isCancelled()} become true; their
 *       results are still committed (the coordinator ignores them). So do attempts the coordinator
 *       timed out. A handler told to stop that has not returned {@code worker.stop.grace.ms} later
 *       is abandoned: a failed {@code weft.Abandoned} result commits with its offset and its slot
 *       is free again; its thread runs on, and what it returns is dropped. Attempts of a lost
 *       partition or abandoned at shutdown see it too; their results are discarded.
 * </ul>
 */
package io.weft.workers.api;
