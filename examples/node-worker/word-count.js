'use strict';

/**
 * The task type this worker serves: counts the words of a text.
 *
 * params (each a JSON text in the request):
 *   text      string, required: what to count
 *   minWords  integer, optional: fewer words than this fails the task, not retryably
 *   delayMs   integer, optional: how long to work first (so that heartbeats go out)
 *
 * outputs: words (number), distinct (number), longest (string), upstream (the ids of the
 * upstream tasks whose outputs the request carried); metric: words.
 */

const TYPE = 'word-count';
const DESCRIPTION = 'Counts the words of params.text (a Weft worker in Node.js)';

/** A failure with an error class of its own and a retryable flag, as TaskResult.error has. */
class TaskFailed extends Error {
  constructor(errorClass, message, retryable) {
    super(message);
    this.errorClass = errorClass;
    this.retryable = retryable;
  }
}

function param(request, name, required) {
  const text = request.params[name];
  if (text === undefined) {
    if (!required) {
      return undefined;
    }
    throw new TaskFailed(
      'word-count.MissingParameter',
      `task ${request.taskId} has no parameter '${name}'; it has [${Object.keys(request.params)}]`,
      false);
  }
  return JSON.parse(text); // the coordinator sends JSON texts; the worker checked they parse
}

/** Waits `ms`, or until `signal` aborts (the run stopped, the attempt timed out). */
function pause(ms, signal) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(new TaskFailed('word-count.Cancelled', `stopped: ${signal.reason}`, false));
    }, { once: true });
  });
}

/**
 * Executes one attempt: returns { outputs, metrics } (outputs as plain JSON values) or throws.
 * A TaskFailed names its error class and whether a retry may help; anything else thrown is
 * reported as retryable, as the Java runtime does.
 */
async function execute(request, { signal, progress }) {
  const text = param(request, 'text', true);
  if (typeof text !== 'string') {
    throw new TaskFailed(
      'word-count.InvalidParameter',
      `parameter 'text' must be a string, got ${JSON.stringify(text)}`,
      false);
  }
  const minWords = param(request, 'minWords', false);
  const delayMs = param(request, 'delayMs', false) ?? 0;
  if (delayMs > 0) {
    await pause(delayMs, signal);
  }
  const words = text.split(/[^\p{L}\p{N}']+/u).filter((w) => w.length > 0);
  progress(1, 1, { words: words.length }, `counted ${words.length} words`);
  if (minWords !== undefined && words.length < minWords) {
    throw new TaskFailed(
      'word-count.TooFewWords',
      `the text has ${words.length} words, fewer than minWords ${minWords}`,
      false);
  }
  const distinct = new Set(words.map((w) => w.toLowerCase()));
  const longest = words.reduce((a, b) => (b.length > a.length ? b : a), '');
  return {
    outputs: {
      words: words.length,
      distinct: distinct.size,
      longest,
      upstream: Object.keys(request.upstream).sort(),
    },
    metrics: { words: words.length },
  };
}

module.exports = { TYPE, DESCRIPTION, TaskFailed, execute };
