/**
 * Weft's test kit: {@link io.weft.testkit.WeftInstallation} starts an installation (coordinator and
 * workers, in this JVM or in JVMs of their own) on a running stack, and {@link
 * io.weft.testkit.EventLog} reads what it committed. Used by the integration tests, the benchmarks
 * and the embedded mode of the {@code weft} command.
 */
package io.weft.testkit;
