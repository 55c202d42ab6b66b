package io.weft.serving.internals;

import io.weft.ml.api.ModelLoader;
import io.weft.ml.api.Servable;
import io.weft.schemas.models.ModelAliasChanged;
import io.weft.schemas.models.ModelVersion;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The production version of every served model, kept in step with the registry's aliases.
 *
 * <p>One loader thread does all loading, off the request path: first the production versions as the
 * registry knows them at start, then each alias move. A move loads the new version first and only
 * then {@link ModelSlot#swap swaps} it in; the old version closes when its last in-flight request
 * is done. A version that fails to load is logged, naming model and version, and the slot keeps
 * serving what it served.
 */
public final class ServedModels implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ServedModels.class);

  private final ProductionModels registry;
  private final ModelLoader loader;
  private final Set<String> only;
  private final Time time;
  private final Map<String, ModelSlot> slots = new ConcurrentHashMap<>();

  /** The production version of each served model as last announced by the registry. */
  private final Map<String, Integer> production = new ConcurrentHashMap<>();

  /** The version of each model whose load failed last, not tried again until it moves. */
  private final Map<String, Integer> failed = new ConcurrentHashMap<>();

  private final ExecutorService loading =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread thread = new Thread(r, "weft-serving-loader");
            thread.setDaemon(true);
            return thread;
          });
  private final OnDemandVersions onDemand;

  /** Signalled whenever what is served changes: a version swapped in, start-up caught up. */
  private final Object changed = new Object();

  private final InferenceMetrics metrics;
  private volatile boolean caughtUp;
  private volatile boolean closed;
  private AutoCloseable following;

  /**
   * @param only the models to serve; empty for all
   * @param time the clock of {@link #await}'s timeouts and of load times
   */
  public ServedModels(ProductionModels registry, ModelLoader loader, Set<String> only, Time time) {
    this(registry, loader, only, time, new InferenceMetrics());
  }

  /**
   * @param only the models to serve; empty for all
   * @param time the clock of {@link #await}'s timeouts and of load times
   * @param metrics where the versions loaded are counted
   */
  public ServedModels(
      ProductionModels registry,
      ModelLoader loader,
      Set<String> only,
      Time time,
      InferenceMetrics metrics) {
    this.metrics = metrics;
    this.registry = registry;
    this.loader = loader;
    this.only = Set.copyOf(only);
    this.time = time;
    this.onDemand = new OnDemandVersions(loader, 4);
  }

  /** Loads the current production versions, then follows the aliases, in the background. */
  public synchronized ServedModels start() {
    loading.execute(this::loadCurrent);
    following = registry.followAliases(change -> loading.execute(() -> apply(change)));
    return this;
  }

  /** Whether the start-up versions are loaded and every production model has a version loaded. */
  public boolean isReady() {
    return caughtUp && production.keySet().stream().allMatch(this::isReady);
  }

  /**
   * Waits until {@code ready} holds, re-checking it whenever what is served changes.
   *
   * @return whether it held within {@code timeout} (by this instance's clock)
   */
  public boolean await(BooleanSupplier ready, Duration timeout) throws InterruptedException {
    long deadlineMs = time.milliseconds() + timeout.toMillis();
    try {
      time.waitObject(changed, ready::getAsBoolean, deadlineMs);
      return true;
    } catch (TimeoutException e) {
      return false;
    }
  }

  private void signal() {
    synchronized (changed) {
      changed.notifyAll();
    }
  }

  /** Whether {@code name} has a version loaded. */
  public boolean isReady(String name) {
    ModelSlot slot = slots.get(name);
    return slot != null && slot.peek().isPresent();
  }

  /** Whether {@code name} is served here (a production alias is known for it). */
  public boolean isServed(String name) {
    return production.containsKey(name) || isReady(name);
  }

  /** The names of the models with a version loaded, sorted. */
  public SortedSet<String> loaded() {
    SortedSet<String> names = new TreeSet<>();
    slots.forEach((name, slot) -> slot.peek().ifPresent(m -> names.add(name)));
    return names;
  }

  /** The production version of {@code name} now, acquired; the caller releases it. */
  public Optional<ServedModel> acquire(String name) {
    ModelSlot slot = slots.get(name);
    return slot == null ? Optional.empty() : slot.acquire();
  }

  /** The production version of {@code name} now, not acquired (for metadata). */
  public Optional<ServedModel> peek(String name) {
    ModelSlot slot = slots.get(name);
    return slot == null ? Optional.empty() : slot.peek();
  }

  /**
   * Version {@code version} of {@code name}, acquired: the production slot's if it serves that
   * version, else loaded on demand (and kept for the next requests a while).
   *
   * @return empty if {@code name} has no such version
   */
  public Optional<ServedModel> acquire(String name, int version) {
    Optional<ServedModel> current = acquire(name);
    if (current.isPresent()) {
      if (current.get().version() == version) {
        return current;
      }
      current.get().release();
    }
    return registry.version(name, version).map(onDemand::acquire);
  }

  /** The registered version {@code version} of {@code name}, without loading it. */
  public Optional<ModelVersion> registered(String name, int version) {
    return registry.version(name, version);
  }

  private boolean serves(String name) {
    return only.isEmpty() || only.contains(name);
  }

  private void loadCurrent() {
    try {
      for (String name : registry.models()) {
        if (serves(name)) {
          registry.production(name).ifPresent(this::announceAndLoad);
        }
      }
    } catch (RuntimeException e) {
      log.error("Cannot read the production models from the registry: {}", e.getMessage(), e);
    } finally {
      caughtUp = true;
      signal();
      log.info("Start-up models loaded: serving {}", loaded());
    }
  }

  private void apply(ModelAliasChanged change) {
    if (!ProductionModels.PRODUCTION.equals(change.getAlias()) || !serves(change.getName())) {
      return;
    }
    String name = change.getName();
    int version = change.getVersion();
    production.put(name, version);
    if (peek(name).map(ServedModel::version).orElse(-1) == version) {
      return;
    }
    Optional<ModelVersion> registered;
    try {
      registered = registry.version(name, version);
    } catch (RuntimeException e) {
      log.error(
          "Cannot read model '{}' version {} from the registry: {}", name, version, e.toString());
      return;
    }
    if (registered.isEmpty()) {
      log.error(
          "The production alias of model '{}' points at version {}, which is not registered;"
              + " still serving {}",
          name,
          version,
          describe(name));
      return;
    }
    announceAndLoad(registered.get());
  }

  private void announceAndLoad(ModelVersion version) {
    String name = version.getName();
    production.put(name, version.getVersion());
    if (peek(name).map(ServedModel::version).orElse(-1) == version.getVersion()
        || failed.getOrDefault(name, -1) == version.getVersion()) {
      return;
    }
    long start = time.nanoseconds();
    Servable classifier;
    try {
      classifier = loader.load(version);
    } catch (RuntimeException e) {
      log.error(
          "Cannot load model '{}' version {}; still serving {}: {}",
          name,
          version.getVersion(),
          describe(name),
          e.getMessage());
      log.debug("Load of model '{}' version {} failed", name, version.getVersion(), e);
      failed.put(name, version.getVersion());
      return;
    }
    if (closed) {
      classifier.close();
      return;
    }
    failed.remove(name);
    String before = describe(name);
    slots
        .computeIfAbsent(name, n -> new ModelSlot())
        .swap(new ServedModel(name, version.getVersion(), classifier));
    metrics.loaded(name, version.getVersion());
    signal();
    log.info(
        "Model '{}' now served at version {} (was {}), loaded in {} ms",
        name,
        version.getVersion(),
        before,
        TimeUnit.NANOSECONDS.toMillis(time.nanoseconds() - start));
  }

  private String describe(String name) {
    return peek(name).map(m -> "version " + m.version()).orElse("no version");
  }

  /** Stops following; each loaded model closes once its in-flight requests are done. */
  @Override
  public synchronized void close() {
    closed = true;
    if (following != null) {
      try {
        following.close();
      } catch (Exception e) {
        log.warn("Cannot stop following the model aliases: {}", e.toString());
      }
    }
    loading.shutdownNow();
    try {
      if (!loading.awaitTermination(30, TimeUnit.SECONDS)) {
        log.warn("A model was still loading 30 s after close");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    slots.values().forEach(ModelSlot::clear);
    onDemand.close();
  }
}
