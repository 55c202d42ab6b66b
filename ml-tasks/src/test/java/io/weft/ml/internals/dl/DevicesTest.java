package io.weft.ml.internals.dl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import io.weft.workers.api.TaskFailedException;
import java.util.List;
import org.junit.jupiter.api.Test;

class DevicesTest {

  @Test
  void shouldRunOnTheCpuWhenNoGpuIsGranted() {
    assertThat(Devices.choose(List.of(), 4, false)).isEqualTo(Device.cpu());
  }

  @Test
  void shouldRunOnTheFirstGrantedGpuThatPyTorchSees() {
    assertThat(Devices.choose(List.of(1, 2), 4, false)).isEqualTo(Device.gpu(1));
  }

  @Test
  void shouldFailWithoutRetryWhenTheGrantedGpuIsMissingAndTheTaskNeedsIt() {
    assertThatThrownBy(() -> Devices.choose(List.of(0), 0, false))
        .isInstanceOf(TaskFailedException.class)
        .hasMessageContaining("granted GPU 0 but PyTorch sees 0 GPU(s)")
        .hasMessageContaining("cpuFallback: true")
        .satisfies(e -> assertThat(((TaskFailedException) e).retryable()).isFalse());
  }

  @Test
  void shouldFallBackToTheCpuOnlyWhenTheTaskAllowsIt() {
    assertThat(Devices.choose(List.of(0), 0, true)).isEqualTo(Device.cpu());
  }
}
