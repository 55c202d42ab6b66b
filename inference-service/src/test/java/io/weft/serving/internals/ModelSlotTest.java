package io.weft.serving.internals;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.ml.api.ModelSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class ModelSlotTest {

  private static final ModelSpec SPEC = new ModelSpec("mlp", new int[0], 4, 3);

  @Test
  void shouldHandOutTheNewVersionAfterASwapAndCloseTheOldOneWhenReleased() {
    // given
    ModelSlot slot = new ModelSlot();
    FakeClassifier v1 = new FakeClassifier(SPEC, 1);
    slot.swap(new ServedModel("m", 1, v1));
    ServedModel held = slot.acquire().orElseThrow();

    // when
    slot.swap(new ServedModel("m", 2, new FakeClassifier(SPEC, 2)));

    // then
    assertThat(slot.acquire()).get().extracting(ServedModel::version).isEqualTo(2);
    assertThat(v1.isClosed()).isFalse();
    held.release();
    assertThat(v1.isClosed()).isTrue();
    assertThat(held.tryAcquire()).isFalse();
  }

  @Test
  void shouldHaveNothingToHandOutBeforeTheFirstVersion() {
    assertThat(new ModelSlot().acquire()).isEmpty();
  }

  @Test
  void shouldNeverHandOutAClosedModelWhileSwappingUnderLoad() throws Exception {
    // given: eight threads using the slot as fast as they can
    ModelSlot slot = new ModelSlot();
    List<FakeClassifier> versions = new ArrayList<>();
    FakeClassifier first = new FakeClassifier(SPEC, 0);
    versions.add(first);
    slot.swap(new ServedModel("m", 0, first));
    AtomicBoolean stop = new AtomicBoolean();
    CountDownLatch allAnswering = new CountDownLatch(8);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<Future<?>> users = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      users.add(
          pool.submit(
              () -> {
                boolean counted = false;
                while (!stop.get()) {
                  ServedModel model = slot.acquire().orElseThrow();
                  try {
                    FakeClassifier.of(model).predict(new float[4], 1); // throws if closed
                  } finally {
                    model.release();
                  }
                  if (!counted) {
                    allAnswering.countDown();
                    counted = true;
                  }
                }
              }));
    }

    assertThat(allAnswering.await(30, TimeUnit.SECONDS)).as("all users answering").isTrue();

    // when: 500 swaps
    for (int v = 1; v <= 500; v++) {
      FakeClassifier next = new FakeClassifier(SPEC, v);
      versions.add(next);
      slot.swap(new ServedModel("m", v, next));
    }
    stop.set(true);
    for (Future<?> user : users) {
      user.get(30, TimeUnit.SECONDS); // rethrows a use of a closed model
    }
    pool.shutdown();

    // then: every replaced version was closed exactly once, the last one is open
    assertThat(versions.subList(0, 500)).allMatch(FakeClassifier::isClosed);
    assertThat(versions.get(500).isClosed()).isFalse();
  }
}
