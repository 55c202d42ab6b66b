package io.weft.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JvmMemoryTest {

  @Test
  void shouldReadTheResidentSetOfAProcStatusInBytes() {
    // given
    String status = "Name:\tjava\nVmPeak:\t 3000000 kB\nVmRSS:\t   75884 kB\nRssAnon:\t 60000 kB\n";

    // then
    assertThat(JvmMemory.parseVmRss(status)).isEqualTo(75_884L * 1024);
    assertThat(JvmMemory.parseVmRss("Name:\tkthreadd\n")).isEqualTo(-1);
  }

  @Test
  void shouldSumTheUsedHeapOfEveryGenerationWithoutMetaspace() {
    // given: what jcmd <pid> GC.heap_info answers for the serial collector
    String heapInfo =
        "12683:\n"
            + " def new generation   total 116160K, used 18593K [0x0000000687400000)\n"
            + "  eden space 103296K,  18% used [0x0000000687400000)\n"
            + "  from space 12864K,   0% used [0x000000068d8e0000)\n"
            + " tenured generation   total 258048K, used 1000K [0x0000000704d50000)\n"
            + "   the space 258048K,   0% used [0x0000000704d50000)\n"
            + " Metaspace       used 9185K, committed 9408K, reserved 1114112K\n"
            + "  class space    used 1096K, committed 1216K, reserved 1048576K\n";

    // then
    assertThat(JvmMemory.parseHeapUsed(heapInfo)).isEqualTo((18_593L + 1_000L) * 1024);
    assertThat(JvmMemory.parseHeapUsed("12683:\nAttach failed")).isEqualTo(-1);
  }

  @Test
  void shouldReadThisJvmsResidentSetAndHeap() {
    // given
    long pid = ProcessHandle.current().pid();

    // when
    JvmMemory.Reading reading = JvmMemory.of(pid);

    // then
    assertThat(reading.rssBytes()).isPositive();
    assertThat(reading.heapUsedBytes()).isPositive();
  }
}
