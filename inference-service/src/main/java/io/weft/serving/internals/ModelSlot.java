package io.weft.serving.internals;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The version of one model that requests are answered with. A request {@link #acquire() acquires}
 * the current version and releases it when done; {@link #swap} puts a new, already loaded version
 * in place and drops the slot's reference to the old one, which closes when its last request has
 * released it. Requests therefore never see a closed model and never wait for a swap.
 */
public final class ModelSlot {

  private final AtomicReference<ServedModel> current = new AtomicReference<>();

  /** The version served now, acquired; the caller must release it. Empty if none is loaded. */
  public Optional<ServedModel> acquire() {
    while (true) {
      ServedModel model = current.get();
      if (model == null) {
        return Optional.empty();
      }
      if (model.tryAcquire()) {
        return Optional.of(model);
      }
      // swapped out and closed between get and acquire: the slot already holds its successor
    }
  }

  /** The version served now, without acquiring it (for metadata). */
  public Optional<ServedModel> peek() {
    return Optional.ofNullable(current.get());
  }

  /** Serves {@code next} from now on and releases the slot's reference to the previous version. */
  public void swap(ServedModel next) {
    ServedModel previous = current.getAndSet(next);
    if (previous != null && previous != next) {
      previous.release();
    }
  }

  /** Stops serving; the current version closes when its requests are done. */
  public void clear() {
    ServedModel previous = current.getAndSet(null);
    if (previous != null) {
      previous.release();
    }
  }
}
