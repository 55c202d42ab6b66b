'use strict';

/*
 * A Weft worker in Node.js, serving the task type of ./word-count.js. It follows the worker
 * protocol (docs/worker-protocol.md): declares its type on <prefix>task-types, reads
 * <prefix>tasks.<type> read_committed in group <prefix>workers.<type>, writes each TaskResult to
 * <prefix>results in one transaction with the commit of its request's offset, sends TaskHeartbeats
 * and TaskProgress while a task runs, and follows <prefix>cancellations. Settings come from the
 * environment (see README.md).
 */

const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { Kafka, Partitioners, ConfigResourceTypes, logLevel } = require('kafkajs');
const {
  SchemaRegistryClient, AvroSerializer, AvroDeserializer, SerdeType,
} = require('@confluentinc/schemaregistry');
const handler = require('./word-count');

function setting(name, fallback) {
  const value = process.env[name];
  if (value === undefined || value === '') {
    if (fallback === undefined) {
      throw new Error(`${name} is not set`);
    }
    return fallback;
  }
  return value;
}

const config = {
  brokers: setting('WEFT_BOOTSTRAP_SERVERS').split(','),
  registryUrl: setting('WEFT_SCHEMA_REGISTRY_URL'),
  prefix: setting('WEFT_TOPIC_PREFIX', 'weft.'),
  workerId: setting('WEFT_WORKER_ID', `node-${os.hostname()}-${process.pid}`),
  heartbeatMs: Number(setting('WEFT_HEARTBEAT_INTERVAL_MS', '3000')),
  partitions: Number(setting('WEFT_PARTITIONS', '12')),
  concurrency: Number(setting('WEFT_CONCURRENCY', '4')),
};
const TYPE = handler.TYPE;
const topics = {
  tasks: `${config.prefix}tasks.${TYPE}`,
  results: `${config.prefix}results`,
  taskTypes: `${config.prefix}task-types`,
  cancellations: `${config.prefix}cancellations`,
  dlq: `${config.prefix}dlq`,
};
const group = `${config.prefix}workers.${TYPE}`;
const instance = crypto.randomUUID().slice(0, 8);
const RESULT = 'io.weft.schemas.results.TaskResult';
const HEARTBEAT = 'io.weft.schemas.results.TaskHeartbeat';
const PROGRESS = 'io.weft.schemas.results.TaskProgress';
const EVENTS = 'io.weft.schemas.events.';
const RECORD_OVERHEAD_BYTES = 256; // what a record batch adds around a key and a value, at most
const MAX_MESSAGE_LENGTH = 4000;

function log(level, message) {
  console.log(`${new Date().toISOString()} ${level} [${config.workerId}] ${message}`);
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const kafka = new Kafka({
  clientId: `weft-node-worker-${config.workerId}`,
  brokers: config.brokers,
  logLevel: logLevel.WARN,
});
const registry = new SchemaRegistryClient({ baseURLs: [config.registryUrl] });
const deserializer = new AvroDeserializer(registry, SerdeType.VALUE, {});
const partitioner = Partitioners.DefaultPartitioner; // murmur2, as Java's: run-keyed partitions
// results go in transactions, each with the offset of the request it answers; zombies are not
// fenced (kafkajs sends no group generation with the offsets): the coordinator drops duplicates
const transactional = kafka.producer({
  transactionalId: `${group}.${config.workerId}.${instance}`,
  idempotent: true,
  maxInFlightRequests: 1,
  transactionTimeout: 10000,
  createPartitioner: partitioner,
});
// heartbeats, progress and declarations are advisory: outside transactions
const plain = kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: partitioner });
const consumer = kafka.consumer({ groupId: group, readUncommitted: false });
// kafkajs has no consumer without a group: the watcher's group is its own, so it sees every signal
const watcher = kafka.consumer({
  groupId: `${group}.cancellations.${config.workerId}.${instance}`,
  readUncommitted: false,
});

let reportSerializer;
let declarationSerializer;
let maxResultBytes;
const running = new Map(); // idempotency key -> { request, abort }
const advisoryInFlight = new Set();
let transactions = Promise.resolve();
let stopping = false;

/** Waits for the coordinator's topics, and creates this type's task topic if it is missing. */
async function ensureTopics(admin) {
  const needed = [topics.results, topics.taskTypes, topics.cancellations, topics.dlq];
  const deadline = Date.now() + 60000;
  let existing = new Set(await admin.listTopics());
  while (needed.some((t) => !existing.has(t))) {
    if (Date.now() > deadline) {
      const missing = needed.filter((t) => !existing.has(t));
      throw new Error(`topics ${missing} are missing after 60 s: start the coordinator first`);
    }
    await sleep(500);
    existing = new Set(await admin.listTopics());
  }
  if (!existing.has(topics.tasks)) {
    await admin.createTopics({
      waitForLeaders: true,
      topics: [{ topic: topics.tasks, numPartitions: config.partitions }],
    });
  }
  const { resources } = await admin.describeConfigs({
    includeSynonyms: false,
    resources: [{ type: ConfigResourceTypes.TOPIC, name: topics.results, configNames: ['max.message.bytes'] }],
  });
  return Number(resources[0].configEntries.find((e) => e.configName === 'max.message.bytes').configValue);
}

/** Registers the schema this worker writes to `topic` (the repo's, verbatim) and its serializer. */
async function serializerFor(topic, file) {
  const schema = fs.readFileSync(path.join(__dirname, 'schemas', file), 'utf8').trim();
  const id = await registry.register(`${topic}-value`, { schemaType: 'AVRO', schema });
  return new AvroSerializer(registry, SerdeType.VALUE, { useSchemaId: id, autoRegisterSchemas: false });
}

async function declare() {
  const value = await declarationSerializer.serialize(topics.taskTypes, {
    type: TYPE,
    description: handler.DESCRIPTION,
    workerId: config.workerId,
    declaredAt: Date.now(),
  });
  await plain.send({ topic: topics.taskTypes, acks: -1, messages: [{ key: TYPE, value }] });
}

function report(runId, kind, body) {
  return reportSerializer
    .serialize(topics.results, { report: { [kind]: body } })
    .then((value) => ({ key: runId, value }));
}

/** Sends a heartbeat or progress report, best effort; a result waits for those sent before it. */
function advisory(runId, kind, body) {
  const sent = report(runId, kind, body)
    .then((message) => plain.send({ topic: topics.results, acks: -1, messages: [message] }))
    .catch((e) => log('WARN', `a ${kind.split('.').pop()} was not sent: ${e.message}`));
  advisoryInFlight.add(sent);
  sent.finally(() => advisoryInFlight.delete(sent));
}

/** Runs `work(transaction)` in a transaction of its own, one at a time, and commits it. */
function inTransaction(work) {
  const done = transactions.then(async () => {
    const transaction = await transactional.transaction();
    try {
      await work(transaction);
      await transaction.commit();
    } catch (e) {
      await transaction.abort().catch(() => {});
      throw e;
    }
  });
  transactions = done.catch(() => {});
  return done;
}

/** Sends `messages` (per topic) and commits the offset after `offset`, in one transaction. */
async function commit(topic, partition, offset, messages) {
  await Promise.all([...advisoryInFlight]);
  await inTransaction(async (transaction) => {
    for (const [target, list] of Object.entries(messages)) {
      await transaction.send({ topic: target, messages: list });
    }
    await transaction.sendOffsets({
      consumerGroupId: group,
      topics: [{ topic, partitions: [{ partition, offset: (BigInt(offset) + 1n).toString() }] }],
    });
  });
}

function taskError(errorClass, message, retryable) {
  const text = String(message ?? '(no message)');
  return {
    errorClass,
    message: text.length > MAX_MESSAGE_LENGTH ? `${text.slice(0, MAX_MESSAGE_LENGTH - 1)}…` : text,
    retryable,
  };
}

function result(attempt, startedAt, outcome) {
  return {
    runId: attempt.runId,
    taskId: attempt.taskId,
    attempt: attempt.attempt,
    status: outcome.error ? 'FAILED' : 'SUCCEEDED',
    outputs: outcome.outputs ?? {},
    metrics: outcome.metrics ?? {},
    error: outcome.error ?? null,
    workerId: config.workerId,
    startedAt,
    finishedAt: Date.now(),
  };
}

function header(headers, name) {
  const value = headers?.[name];
  return value === undefined ? undefined : value.toString('utf8');
}

/** A failed result for an unreadable request, if the coordinator's headers name the attempt. */
function unreadableAttempt(message) {
  const runId = header(message.headers, 'weft.run-id');
  const taskId = header(message.headers, 'weft.task-id');
  const attempt = Number(header(message.headers, 'weft.attempt'));
  return runId && taskId && attempt >= 1 ? { runId, taskId, attempt } : null;
}

/** Sets an unreadable record aside on the dead-letter topic, with the failed result it allows. */
async function deadLetter(topic, partition, message, why) {
  log('WARN', `${topic}-${partition} offset ${message.offset} goes to ${topics.dlq}: ${why}`);
  const headers = {
    ...message.headers,
    'weft.dlq.topic': topic,
    'weft.dlq.partition': String(partition),
    'weft.dlq.offset': String(message.offset),
    'weft.dlq.error.class': 'weft.InvalidRequest',
    'weft.dlq.error.message': why,
    'weft.dlq.component': `worker:${TYPE}`,
  };
  const messages = { [topics.dlq]: [{ key: message.key, value: message.value, headers }] };
  const attempt = unreadableAttempt(message);
  if (attempt) {
    const error = taskError('weft.InvalidRequest', `worker ${config.workerId} could not read the request: ${why}`, false);
    messages[topics.results] = [await report(attempt.runId, RESULT, result(attempt, Date.now(), { error }))];
  }
  await commit(topic, partition, message.offset, messages);
}

/** Why a decoded request cannot run as sent, or null. */
function problem(key, request) {
  const expected = `${request.runId}/${request.taskId}`;
  if (!request.runId || !request.taskId) return `request has an empty runId or taskId (key '${key}')`;
  if (key !== expected) return `record key '${key}' is not the request's runId/taskId '${expected}'`;
  if (request.type !== TYPE) return `request ${expected} is of type '${request.type}', but this worker serves '${TYPE}'`;
  if (request.attempt < 1) return `request ${expected} has attempt ${request.attempt}, not >= 1`;
  return null;
}

/** Why the request's params or upstream outputs are not what the protocol promises, or null. */
function invalidContent(request) {
  for (const [name, text] of Object.entries(request.params)) {
    try {
      JSON.parse(text);
    } catch (e) {
      return `parameter '${name}' is not valid JSON: ${e.message}`;
    }
  }
  for (const [taskId, outputs] of Object.entries(request.upstream)) {
    for (const [name, output] of Object.entries(outputs)) {
      if ((output.json === null) === (output.artifact === null)) {
        return `output '${name}' of upstream task '${taskId}' must hold either json or an artifact`;
      }
    }
  }
  return null;
}

/** When the first heartbeat is due after the start: by half the timeout, at once if in doubt. */
function firstHeartbeatDelay(request, startedAt) {
  if (request.timeoutMs === null) return 0; // a coordinator that counted from dispatch
  const delay = Math.min(config.heartbeatMs, request.timeoutMs / 2);
  return request.startBy !== null && request.startBy - startedAt < 2 * delay ? 0 : delay;
}

/** Executes one request and commits its result with its offset. */
async function execute(topic, partition, message, request, groupHeartbeat) {
  const startedAt = Date.now();
  const abort = new AbortController();
  running.set(request.idempotencyKey, { request, abort });
  const beat = () => {
    advisory(request.runId, HEARTBEAT, {
      runId: request.runId,
      taskId: request.taskId,
      attempt: request.attempt,
      workerId: config.workerId,
      sentAt: Date.now(),
      startedAt,
    });
    groupHeartbeat().catch(() => {}); // stay in the group during a long task
  };
  let interval;
  const first = setTimeout(() => {
    beat();
    interval = setInterval(beat, config.heartbeatMs);
  }, firstHeartbeatDelay(request, startedAt));
  const progress = (step, totalSteps, metrics, text) => advisory(request.runId, PROGRESS, {
    runId: request.runId,
    taskId: request.taskId,
    attempt: request.attempt,
    workerId: config.workerId,
    step,
    totalSteps: totalSteps ?? null,
    metrics: metrics ?? {},
    message: text ?? null,
    reportedAt: Date.now(),
  });
  let outcome;
  try {
    const done = await handler.execute(request, { signal: abort.signal, progress });
    const outputs = {};
    for (const [name, value] of Object.entries(done.outputs ?? {})) {
      outputs[name] = { json: JSON.stringify(value), artifact: null };
    }
    outcome = { outputs, metrics: done.metrics };
  } catch (e) {
    const failed = e instanceof handler.TaskFailed;
    outcome = { error: taskError(failed ? e.errorClass : (e.name ?? 'Error'), e.message, failed ? e.retryable : true) };
  } finally {
    clearTimeout(first);
    clearInterval(interval);
    running.delete(request.idempotencyKey);
  }
  let done = result(request, startedAt, outcome);
  let record = await report(request.runId, RESULT, done);
  const size = RECORD_OVERHEAD_BYTES + Buffer.byteLength(record.key) + record.value.length;
  if (size > maxResultBytes) {
    const error = taskError('weft.OutputTooLarge', `the result of ${request.idempotencyKey} is ${size} bytes, over the limit of ${maxResultBytes} bytes; store large outputs as artifacts and return their references`, false);
    done = { ...done, status: 'FAILED', outputs: {}, metrics: {}, error };
    record = await report(request.runId, RESULT, done);
  }
  await commit(topic, partition, message.offset, { [topics.results]: [record] });
  log('INFO', `${request.idempotencyKey} ${done.status}${done.error ? `: ${done.error.message}` : ''}`);
}

/** Whether a decoding error is the record's (poison) rather than the registry's (transient). */
function isRecordsFault(e) {
  if (e.status !== undefined) {
    return e.status === 404; // an unknown schema id; any other answer is the registry's
  }
  return e.code === undefined; // network errors carry a code (ECONNREFUSED, ...); bad bytes none
}

async function handle({ topic, partition, message, heartbeat }) {
  let request;
  try {
    request = await deserializer.deserialize(topic, message.value ?? Buffer.alloc(0));
  } catch (e) {
    if (!isRecordsFault(e)) {
      throw e; // the registry's fault, not the record's: kafkajs reads it again after a backoff
    }
    await deadLetter(topic, partition, message, `cannot decode the record: ${e.message}`);
    return;
  }
  const key = message.key?.toString('utf8');
  const why = request === null ? 'record has no value (a tombstone); a TaskRequest was expected' : problem(key, request);
  if (why) {
    await deadLetter(topic, partition, message, why);
    return;
  }
  const invalid = invalidContent(request);
  if (invalid) {
    const error = taskError('weft.InvalidRequest', invalid, false);
    const record = await report(request.runId, RESULT, result(request, Date.now(), { error }));
    await commit(topic, partition, message.offset, { [topics.results]: [record] });
    return;
  }
  const startBy = request.timeoutMs === null ? request.deadline : request.startBy;
  if (startBy !== null && startBy <= Date.now()) { // the coordinator timed it out: only the offset
    log('INFO', `skipped ${request.idempotencyKey}: it had to start by ${new Date(startBy).toISOString()}`);
    await commit(topic, partition, message.offset, {});
    return;
  }
  await execute(topic, partition, message, request, heartbeat);
}

/** Tells the running attempts of a stopped run, or a timed-out attempt, to stop. */
async function onCancellation({ message }) {
  let event;
  try {
    event = await deserializer.deserialize(topics.cancellations, message.value);
  } catch (e) {
    log('WARN', `ignoring an unreadable record of ${topics.cancellations}: ${e.message}`);
    return;
  }
  const [kind, body] = Object.entries(event.event)[0];
  for (const { request, abort } of running.values()) {
    const runStopped = kind === `${EVENTS}RunCancelled` || kind === `${EVENTS}RunFailed`;
    const timedOut = kind === `${EVENTS}TaskTimedOut` && body.taskId === request.taskId && body.attempt === request.attempt;
    if (request.runId === event.runId && (runStopped || timedOut)) {
      abort.abort(runStopped ? 'the run stopped' : 'the attempt timed out');
    }
  }
}

async function stop(code) {
  if (stopping) return;
  stopping = true;
  setTimeout(() => process.exit(code || 1), 15000).unref();
  for (const client of [consumer, watcher, transactional, plain]) {
    await client.disconnect().catch((e) => log('WARN', `closing: ${e.message}`));
  }
  log('INFO', 'stopped');
  process.exit(code);
}

async function main() {
  const admin = kafka.admin();
  await admin.connect();
  try {
    maxResultBytes = await ensureTopics(admin);
  } finally {
    await admin.disconnect();
  }
  reportSerializer = await serializerFor(topics.results, 'TaskReport.avsc');
  declarationSerializer = await serializerFor(topics.taskTypes, 'TaskTypeDeclared.avsc');
  await Promise.all([transactional.connect(), plain.connect(), consumer.connect(), watcher.connect()]);
  await watcher.subscribe({ topic: topics.cancellations, fromBeginning: false });
  await watcher.run({ eachMessage: onCancellation });
  await consumer.subscribe({ topic: topics.tasks, fromBeginning: true });
  consumer.on(consumer.events.CRASH, ({ payload }) => {
    log('ERROR', `consumer crashed: ${payload.error.message}`);
    if (!payload.restart) stop(1);
  });
  consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => log('INFO', `joined ${payload.groupId}`));
  await consumer.run({ autoCommit: false, partitionsConsumedConcurrently: config.concurrency, eachMessage: handle });
  await declare();
  log('INFO', `ready: serving ${TYPE} from ${topics.tasks}`);
}

process.on('SIGTERM', () => stop(0));
process.on('SIGINT', () => stop(0));
main().catch((e) => {
  log('ERROR', `cannot start: ${e.stack ?? e}`);
  stop(1);
});
