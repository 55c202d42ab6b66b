package io.weft.workers.internals;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.schemas.GeneratedClasses;
import io.weft.schemas.common.TaskError;
import io.weft.workers.api.TaskFailedException;
import java.io.FileNotFoundException;
import java.io.UncheckedIOException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TaskErrorsTest {

  @BeforeAll
  static void trust() {
    GeneratedClasses.trust();
  }

  @Test
  void shouldMapAnyExceptionToItsClassAndMessageAsRetryable() {
    // given
    Exception thrown = new IllegalStateException("model not loaded");

    // when
    TaskError error = TaskErrors.of(thrown);

    // then
    assertThat(error.getErrorClass()).isEqualTo("java.lang.IllegalStateException");
    assertThat(error.getMessage()).isEqualTo("model not loaded");
    assertThat(error.getRetryable()).isTrue();
  }

  @Test
  void shouldKeepTheRetryableFlagOfATaskFailedException() {
    // given
    Exception permanent = new TaskFailedException("dataset has no rows", false);
    Exception transientFailure = new TaskFailedException("GPU busy", true);

    // when
    TaskError permanentError = TaskErrors.of(permanent);
    TaskError transientError = TaskErrors.of(transientFailure);

    // then
    assertThat(permanentError.getErrorClass()).isEqualTo(TaskFailedException.class.getName());
    assertThat(permanentError.getMessage()).isEqualTo("dataset has no rows");
    assertThat(permanentError.getRetryable()).isFalse();
    assertThat(transientError.getRetryable()).isTrue();
  }

  @Test
  void shouldAddTheRootCauseAndCopeWithoutMessage() {
    // given
    Exception wrapped =
        new RuntimeException(
            "loading failed",
            new UncheckedIOException("io", new FileNotFoundException("/d/x.bin")));
    Exception bare = new NullPointerException();

    // when
    TaskError wrappedError = TaskErrors.of(wrapped);
    TaskError bareError = TaskErrors.of(bare);

    // then
    assertThat(wrappedError.getMessage())
        .isEqualTo("loading failed (caused by java.io.FileNotFoundException: /d/x.bin)");
    assertThat(bareError.getErrorClass()).isEqualTo("java.lang.NullPointerException");
    assertThat(bareError.getMessage()).isEqualTo("(no message)");
  }

  @Test
  void shouldTruncateVeryLongMessages() {
    // given
    Exception thrown = new RuntimeException("x".repeat(10_000));

    // when
    TaskError error = TaskErrors.of(thrown);

    // then
    assertThat(error.getMessage()).hasSize(TaskErrors.MAX_MESSAGE_LENGTH);
  }
}
