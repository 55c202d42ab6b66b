package io.weft.serving.internals;

import io.weft.ml.api.ModelLoader;
import io.weft.ml.api.Servable;
import io.weft.schemas.models.ModelVersion;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Versions other than production that requests asked for by number, loaded on the first such
 * request and kept for the next ones. At most {@code capacity} are kept; the least recently used is
 * dropped first and closes once its in-flight requests are done. Concurrent first requests for one
 * version load it once.
 */
final class OnDemandVersions implements AutoCloseable {

  private final ModelLoader loader;
  private final int capacity;
  private final LinkedHashMap<String, CompletableFuture<ServedModel>> versions =
      new LinkedHashMap<>(16, 0.75f, true);
  private boolean closed;

  OnDemandVersions(ModelLoader loader, int capacity) {
    this.loader = loader;
    this.capacity = capacity;
  }

  /**
   * {@code version} loaded and acquired; the caller releases it.
   *
   * @throws RuntimeException from the loader if it cannot be loaded (nothing is kept then)
   */
  ServedModel acquire(ModelVersion version) {
    String key = version.getName() + ":" + version.getVersion();
    while (true) {
      CompletableFuture<ServedModel> future;
      boolean mine = false;
      synchronized (versions) {
        if (closed) {
          throw HttpProblem.unavailable("the server is shutting down");
        }
        future = versions.get(key);
        if (future == null) {
          future = new CompletableFuture<>();
          versions.put(key, future);
          mine = true;
        }
      }
      if (mine) {
        load(key, version, future);
      }
      ServedModel model;
      try {
        model = future.join();
      } catch (CompletionException e) {
        throw e.getCause() instanceof RuntimeException cause ? cause : e;
      }
      if (model.tryAcquire()) {
        return model;
      }
      // dropped and closed meanwhile: load it again
      synchronized (versions) {
        versions.remove(key, future);
      }
    }
  }

  private void load(String key, ModelVersion version, CompletableFuture<ServedModel> future) {
    try {
      Servable classifier = loader.load(version);
      future.complete(new ServedModel(version.getName(), version.getVersion(), classifier));
      synchronized (versions) {
        if (closed) {
          // closed while loading: the caller may still use it, nobody keeps it
          versions.remove(key, future);
          releaseOwner(future);
          return;
        }
      }
    } catch (RuntimeException e) {
      synchronized (versions) {
        versions.remove(key, future);
      }
      future.completeExceptionally(e);
      return;
    }
    List<CompletableFuture<ServedModel>> evicted = new ArrayList<>();
    synchronized (versions) {
      Iterator<Map.Entry<String, CompletableFuture<ServedModel>>> eldest =
          versions.entrySet().iterator();
      while (versions.size() > capacity && eldest.hasNext()) {
        Map.Entry<String, CompletableFuture<ServedModel>> entry = eldest.next();
        if (entry.getValue().isDone() && entry.getValue() != future) {
          evicted.add(entry.getValue());
          eldest.remove();
        }
      }
    }
    evicted.forEach(OnDemandVersions::releaseOwner);
  }

  private static void releaseOwner(CompletableFuture<ServedModel> future) {
    if (!future.isCompletedExceptionally()) {
      future.join().release();
    }
  }

  @Override
  public void close() {
    List<CompletableFuture<ServedModel>> all;
    synchronized (versions) {
      closed = true;
      all = new ArrayList<>(versions.values());
      versions.clear();
    }
    all.stream().filter(CompletableFuture::isDone).forEach(OnDemandVersions::releaseOwner);
  }
}
